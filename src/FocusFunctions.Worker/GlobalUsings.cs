global using Microsoft.Extensions.Logging;
global using System.Diagnostics;
