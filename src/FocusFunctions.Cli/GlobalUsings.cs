global using FocusFunctions.Core.Scoring;
global using System.Diagnostics;
global using Microsoft.Extensions.Options;
