global using FocusFunctions.Core.Scoring;
global using FocusFunctions.Core.Imaging;
global using System.Diagnostics;
global using Microsoft.Extensions.Options;
