"""What a figure says, read back for the figure tests: its titles and its legends' entries."""


def titles(fig) -> str:
    return " ".join([a.get_title() for a in fig.axes] + [fig._suptitle.get_text() if fig._suptitle else ""])


def legend_texts(fig) -> list[str]:
    out = [t.get_text() for a in fig.axes if a.get_legend() for t in a.get_legend().get_texts()]
    return out + [t.get_text() for leg in fig.legends for t in leg.get_texts()]
