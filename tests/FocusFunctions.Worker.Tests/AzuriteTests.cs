namespace FocusFunctions.Worker.Tests;

/// <summary>The tests of this project that share one Azurite (xUnit reads collection definitions from the test assembly only).</summary>
[CollectionDefinition(AzuriteCollection.Name)]
public sealed class AzuriteTests : ICollectionFixture<AzuriteFixture>;
