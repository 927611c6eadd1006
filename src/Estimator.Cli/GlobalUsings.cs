// Namespaces most commands use (command-line parsing, invariant formatting, the calculators and their files): in scope
// in every file.
global using System.CommandLine;
global using System.Globalization;
global using Estimator.Calculators;
global using Estimator.Estimation;
global using Estimator.IO;
global using Estimator.Learning;
global using Estimator.Metrics;
