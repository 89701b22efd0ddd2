global using FocusFunctions.Core.Processing;
global using Xunit;
