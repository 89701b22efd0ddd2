global using System.Text.Json.Nodes;
global using FocusFunctions.TestSupport;
