"""Analysis of result tables: intervals, summaries, sensitivity, scenario discovery, backtests, calibration."""
