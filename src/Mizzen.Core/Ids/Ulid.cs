using System.Security.Cryptography;

namespace Mizzen.Core.Ids;

/// <summary>
/// ULIDs as Orca uses for execution ids: 48-bit millisecond time + 80 random bits, Crockford base32, 26 chars,
/// sortable by creation time. Written by hand (30 lines) because the SDK has no ULID and the format is tiny.
/// </summary>
public static class Ulid
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string NewUlid(TimeProvider time)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)(ms & 0xFF);
            ms >>= 8;
        }

        RandomNumberGenerator.Fill(bytes[6..]);
        Span<char> chars = stackalloc char[26];
        var value = new UInt128(BitConverter.ToUInt64(Reverse(bytes[..8])), BitConverter.ToUInt64(Reverse(bytes[8..])));
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }

    private static byte[] Reverse(ReadOnlySpan<byte> span)
    {
        var copy = span.ToArray();
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(copy);
        }

        return copy;
    }
}
