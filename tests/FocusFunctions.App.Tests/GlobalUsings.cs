global using FocusFunctions.App.Tests.Infrastructure;
global using FocusFunctions.Core.Processing;
global using FocusFunctions.Core.Scoring;
global using FocusFunctions.TestSupport;
