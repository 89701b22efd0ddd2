using System.ComponentModel.DataAnnotations;
using FocusFunctions.Core.Storage;

namespace FocusFunctions.Core.Tests.Processing;

public sealed class StorageOptionsTests
{
    [Fact]
    public void Validate_Defaults_Valid()
    {
        Assert.Empty(Errors(new StorageOptions()));
    }

    [Theory]
    [InlineData("Tiles")]
    [InlineData("ti")]
    [InlineData("tiles--x")]
    [InlineData("-tiles")]
    [InlineData("tiles_x")]
    public void Validate_InvalidContainerName_NamesTheSetting(string container)
    {
        var errors = Errors(new StorageOptions { RejectedContainer = container });

        Assert.Contains(errors, e => e.MemberNames.Contains(nameof(StorageOptions.RejectedContainer)));
    }

    [Theory]
    [InlineData("x(?<x>\\d+")]
    [InlineData("x(\\d+)_y(\\d+)")]
    public void Validate_GridPatternInvalidOrWithoutGroups_Fails(string pattern)
    {
        var errors = Errors(new StorageOptions { GridPositionPattern = pattern });

        Assert.Contains(errors, e => e.ErrorMessage!.Contains("GridPositionPattern"));
    }

    [Fact]
    public void Validate_SameContainerTwice_Fails()
    {
        var errors = Errors(new StorageOptions { RejectedContainer = "tiles" });

        Assert.Contains(errors, e => e.ErrorMessage!.Contains("three different containers"));
    }

    [Theory]
    [InlineData("Focus-Results")]
    [InlineData("1Results")]
    public void Validate_InvalidTableName_Fails(string table)
    {
        Assert.Contains(Errors(new StorageOptions { ResultsTable = table }), e => e.MemberNames.Contains(nameof(StorageOptions.ResultsTable)));
    }

    private static List<ValidationResult> Errors(StorageOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
