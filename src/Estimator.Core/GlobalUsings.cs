// Namespaces most files of this assembly use (the calculator seam, CBPE, the metric kernels and their numerics): in
// scope in every file.
global using System.Globalization;
global using System.Runtime.CompilerServices;
global using Estimator.Calculators;
global using Estimator.Calibration;
global using Estimator.Estimation;
global using Estimator.Metrics;
global using Estimator.Numerics;
