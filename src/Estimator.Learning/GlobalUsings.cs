// Namespaces most files of this assembly use (the calculator seam and CBPE's types): in scope in every file.
global using Estimator.Calculators;
global using Estimator.Estimation;
global using Estimator.Estimation.Shift;
