global using System.Diagnostics;
global using Microsoft.Extensions.Logging;
global using Microsoft.Extensions.Options;
