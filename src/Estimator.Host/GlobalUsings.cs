// Namespaces most files of the job host use (the store, its configuration and YAML nodes, SLOs, text and JSON output):
// in scope in every file.
global using System.Globalization;
global using System.Text;
global using System.Text.Json;
global using Estimator.Host.Configuration;
global using Estimator.IO;
global using Estimator.Monitoring;
global using Estimator.Slo;
global using YamlDotNet.RepresentationModel;
