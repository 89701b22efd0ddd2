using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using FocusFunctions.Core.Scoring;

namespace FocusFunctions.Core.Storage;

/// <summary>Where tiles, moved tiles and results live. Bound from the "Storage" configuration section.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    /// <summary>The app setting the blob trigger reads (%TILES_CONTAINER%); when set it wins over Storage:TilesContainer.</summary>
    public const string TilesContainerSetting = "TILES_CONTAINER";

    /// <summary>Partition key for blobs that sit at the container root, outside any slide folder.</summary>
    public const string RootPartitionKey = "_root";

    private const string ContainerNamePattern = "^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$";
    private const string ContainerNameMessage = "{0} must be a blob container name: 3-63 lower-case letters, digits and single hyphens.";

    /// <summary>Name of the connection whose settings (a connection string or identity-based URIs) reach the app's storage.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConnectionName { get; set; } = "FocusStorage";

    [Required, RegularExpression(ContainerNamePattern, ErrorMessage = ContainerNameMessage)]
    public string TilesContainer { get; set; } = "tiles";

    [Required, RegularExpression(ContainerNamePattern, ErrorMessage = ContainerNameMessage)]
    public string RejectedContainer { get; set; } = "rejected";

    [Required, RegularExpression(ContainerNamePattern, ErrorMessage = ContainerNameMessage)]
    public string QuarantineContainer { get; set; } = "quarantine";

    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "{0} must be a table name: a letter, then 2-62 letters or digits.")]
    public string ResultsTable { get; set; } = "FocusResults";

    /// <summary>How many leading folders of a blob path form the slide id (the result row's partition key).</summary>
    [Range(0, 16)]
    public int SlideFolderDepth { get; set; } = 1;

    /// <summary>Regex with groups x and y that finds a tile's grid position in its file name.</summary>
    [Required(AllowEmptyStrings = false)]
    public string GridPositionPattern { get; set; } = TilePosition.DefaultPattern;

    /// <summary>Azure SDK retries per storage request (exponential back-off).</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(0.8);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one storage request before the SDK retries it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(100);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        Regex? regex = null;
        string? error = null;
        try
        {
            regex = new Regex(GridPositionPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
        }

        if (regex is null)
        {
            yield return new ValidationResult($"Storage:GridPositionPattern is not a valid regular expression: {error}", [nameof(GridPositionPattern)]);
        }
        else if (!regex.GetGroupNames().Contains("x") || !regex.GetGroupNames().Contains("y"))
        {
            yield return new ValidationResult("Storage:GridPositionPattern needs named groups 'x' and 'y'.", [nameof(GridPositionPattern)]);
        }

        var containers = new[] { TilesContainer, RejectedContainer, QuarantineContainer };
        if (containers.Distinct(StringComparer.Ordinal).Count() != containers.Length)
        {
            yield return new ValidationResult("Storage:TilesContainer, RejectedContainer and QuarantineContainer must be three different containers.",
                [nameof(TilesContainer), nameof(RejectedContainer), nameof(QuarantineContainer)]);
        }
    }
}
