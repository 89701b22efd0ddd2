using System.Globalization;
using System.Text;

namespace FocusFunctions.Core.Processing;

/// <summary>
/// Makes any blob path a valid Table storage key and back. Keys may not hold '/', '\', '#', '?' or control characters;
/// those, '%' itself and lone surrogates are written as %XX (code points below 256) or %uXXXX, everything else (letters
/// of any script included) stays readable. Decoding is exact, so a key always gives back its blob path.
/// </summary>
public static class RowKeyCodec
{
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        StringBuilder? builder = null;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool pairedSurrogate = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            if (pairedSurrogate)
            {
                builder?.Append(c).Append(value[i + 1]);
                i++;
                continue;
            }

            if (!NeedsEscape(c))
            {
                builder?.Append(c);
                continue;
            }

            builder ??= new StringBuilder(value.Length + 16).Append(value, 0, i);
            builder.Append(c < 256 ? $"%{(int)c:X2}" : $"%u{(int)c:X4}");
        }

        return builder?.ToString() ?? value;
    }

    public static string Decode(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains('%'))
        {
            return key;
        }

        var builder = new StringBuilder(key.Length);
        for (int i = 0; i < key.Length; i++)
        {
            if (key[i] != '%')
            {
                builder.Append(key[i]);
            }
            else if (i + 5 < key.Length && key[i + 1] == 'u' && TryHex(key.AsSpan(i + 2, 4), out int wide))
            {
                builder.Append((char)wide);
                i += 5;
            }
            else if (i + 2 < key.Length && TryHex(key.AsSpan(i + 1, 2), out int narrow))
            {
                builder.Append((char)narrow);
                i += 2;
            }
            else
            {
                throw new FormatException($"'{key}' is not an encoded row key: a '%' at {i} is not followed by two hex digits or u and four.");
            }
        }

        return builder.ToString();
    }

    private static bool NeedsEscape(char c) =>
        c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c) || char.IsSurrogate(c);

    private static bool TryHex(ReadOnlySpan<char> digits, out int value) =>
        int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
}
