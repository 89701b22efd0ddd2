using Microsoft.Extensions.Configuration;

namespace FocusFunctions.Core.Storage;

/// <summary>Fails start-up, naming the settings, when the storage connection is missing or malformed.</summary>
public sealed class StorageConnectionValidator(IConfiguration configuration) : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        try
        {
            StorageConnection.Resolve(configuration, options.ConnectionName);
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is InvalidOperationException or UriFormatException)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
