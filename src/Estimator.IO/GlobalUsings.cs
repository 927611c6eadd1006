// Parquet is this assembly's main file format: its namespaces are in scope in every file.
global using Parquet;
global using Parquet.Schema;
