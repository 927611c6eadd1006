// Namespaces most files of the store use (files, calculators, logging, JSON state, invariant formatting): in scope in
// every file.
global using System.Globalization;
global using System.Text.Json;
global using Estimator.Calculators;
global using Estimator.Estimation;
global using Estimator.IO;
global using Estimator.Learning;
global using Microsoft.Extensions.Logging;
