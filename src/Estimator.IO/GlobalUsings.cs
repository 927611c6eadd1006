// Namespaces most files of this assembly use: Parquet (its main file format), the calculator seam, CBPE and DataFrame
// support (what most files here read or write). In scope in every file.
global using System.Globalization;
global using Estimator.Calculators;
global using Estimator.Estimation;
global using Microsoft.Data.Analysis;
global using Parquet;
global using Parquet.Schema;
