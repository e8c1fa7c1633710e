"""The report's page: one list of blocks rendered as Markdown (report.md) and HTML (index.html).

Blocks are (kind, *args): h1, h2, p (text), table (a DataFrame), img (stem, caption),
ul (list of sentences), links (lead-in text, [(text, href)]) and code (YAML).
"""

from __future__ import annotations

import html

from sim.report.markdown import markdown_table


def render(blocks: list[tuple], title: str) -> tuple[str, str]:
    """Markdown and HTML of the same list of blocks."""
    md, body = [], []
    for kind, *arg in blocks:
        if kind in ("h1", "h2"):
            md.append(("# " if kind == "h1" else "## ") + arg[0])
            body.append(f"<{kind}>{html.escape(arg[0])}</{kind}>")
        elif kind == "p":
            md.append(arg[0])
            body.append(f"<p>{html.escape(arg[0])}</p>")
        elif kind == "table":
            md.append(markdown_table(arg[0]))
            body.append(arg[0].to_html(index=False, escape=True, border=0, classes="t"))
        elif kind == "img":
            stem, caption = arg
            md.append(f"![{caption}]({stem}.png)\n\n*{caption}* ([SVG]({stem}.svg), [table]({stem}.csv))")
            body.append(
                f'<figure><img src="{stem}.png" alt="{html.escape(caption)}"><figcaption>{html.escape(caption)} '
                f'(<a href="{stem}.svg">SVG</a>, <a href="{stem}.csv">table</a>)</figcaption></figure>'
            )
        elif kind == "ul":
            md.append("\n".join(f"- {item}" for item in arg[0]))
            body.append("<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in arg[0]) + "</ul>")
        elif kind == "links":  # a lead-in and (text, href) pairs
            lead, links = arg
            md.append(lead + " " + "; ".join(f"[{t}]({h})" for t, h in links) + ".")
            body.append(
                f"<p>{html.escape(lead)} "
                + "; ".join(f'<a href="{html.escape(h)}">{html.escape(t)}</a>' for t, h in links)
                + ".</p>"
            )
        elif kind == "code":
            md.append(f"```yaml\n{arg[0]}\n```")
            body.append(f"<pre>{html.escape(arg[0])}</pre>")
    style = (
        "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
        "img{max-width:100%}table.t{border-collapse:collapse}table.t td,table.t th{border-bottom:1px solid #ddd;"
        "padding:.2em .6em;text-align:left}figcaption{color:#555;font-size:.9em}"
    )
    page = (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
    return "\n\n".join(md) + "\n", page
