"""The cells of each seminar notebook, one module per notebook.

Each module defines NAME (the notebook's file stem) and CELLS (its cells in
order); notebooks/make_notebooks.py assembles and writes them. The cells only
call the package (sim, sim.plots) as text: nothing here is imported by sim, and
importing these modules runs no model code.
"""
