global using FocusFunctions.Core.Scoring;
