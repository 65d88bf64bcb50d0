"""newsetl_tools: what develops and measures the pipeline, kept out of the package Airflow workers import.

The offline sample news site (with its fault mode), the extraction accuracy report and the fault-matrix
report. It may import newsetl; newsetl never imports it (tests/test_layout.py checks).
"""
