"""Running the model many times: replicate seeds, chunks, executors, ensembles, designs and result folders.

Data flows one way: a validated config goes in, result tables (pandas, stored
as Parquet with their provenance) come out; nothing here draws or analyses.
"""
