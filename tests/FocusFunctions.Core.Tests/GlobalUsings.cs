global using FocusFunctions.Core.Imaging;
global using FocusFunctions.Core.Inference;
global using FocusFunctions.Core.Processing;
global using FocusFunctions.Core.Scoring;
global using FocusFunctions.Core.Tests.Support;
global using FocusFunctions.TestSupport;
