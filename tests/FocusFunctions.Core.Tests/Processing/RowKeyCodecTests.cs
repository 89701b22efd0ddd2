using FocusFunctions.Core.Processing;

namespace FocusFunctions.Core.Tests.Processing;

public sealed class RowKeyCodecTests
{
    public static TheoryData<string> NastyNames => new()
    {
        "x000_y000.png",
        "a/b/c.png",
        @"back\slash\name.png",
        "hash#and?question.png",
        "percent%41literal%u0041.png",
        "100% done.png",
        "%",
        "%%",
        "tab\tnewline\ncarriage\rnull\0bell\a.png",
        "c1-control\u0085\u009f.png",
        "delete\u007f.png",
        "Ünïcödé-日本語-مرحبا.png",
        "emoji-🔬-🧫.png",
        "lone-high-\ud83d-surrogate.png",
        "lone-low-\udd2c-surrogate.png",
        "quote's \"double\".png",
        "",
    };

    [Theory]
    [MemberData(nameof(NastyNames))]
    public void Decode_EncodedName_GivesTheNameBack(string name)
    {
        Assert.Equal(name, RowKeyCodec.Decode(RowKeyCodec.Encode(name)));
    }

    [Theory]
    [MemberData(nameof(NastyNames))]
    public void Encode_AnyName_HoldsNoCharacterTableKeysForbid(string name)
    {
        string key = RowKeyCodec.Encode(name);

        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
        Assert.False(key.Any(char.IsSurrogate) && !IsWellFormed(key));
    }

    [Fact]
    public void Encode_PlainAndUnicodeNames_StayReadable()
    {
        Assert.Equal("x000_y000.png", RowKeyCodec.Encode("x000_y000.png"));
        Assert.Equal("Ünïcödé-🔬.png", RowKeyCodec.Encode("Ünïcödé-🔬.png"));
        Assert.Equal("a%2Fb%23c%3Fd%5Ce%25f", RowKeyCodec.Encode("a/b#c?d\\e%f"));
    }

    [Fact]
    public void Encode_DifferentNames_DifferentKeys()
    {
        string[] names = ["a/b", "a%2Fb", "a%252Fb", "a\\b", "a#b"];

        Assert.Equal(names.Length, names.Select(RowKeyCodec.Encode).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("bad%")]
    [InlineData("bad%4")]
    [InlineData("bad%zz")]
    [InlineData("bad%u12")]
    public void Decode_MalformedEscape_ThrowsFormatException(string key)
    {
        Assert.Throws<FormatException>(() => RowKeyCodec.Decode(key));
    }

    private static bool IsWellFormed(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }
}
