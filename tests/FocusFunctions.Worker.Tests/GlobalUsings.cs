global using FocusFunctions.TestSupport;
global using FocusFunctions.Core.Processing;
global using FocusFunctions.Core.Scoring;
