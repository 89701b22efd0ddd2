using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp.Memory;

namespace FocusFunctions.Core.Imaging;

/// <summary>
/// An ImageSharp allocator that hands out plain managed byte arrays, each buffer whole (never split into a group).
/// An image decoded to <c>Rgb24</c> with it keeps its pixels in one <c>byte[]</c> laid out exactly like
/// <see cref="RgbImage.Pixels"/>, so the decoder's frame becomes the tile without a second copy of the pixels.
/// </summary>
internal sealed class ArrayAllocator(long limitBytes) : MemoryAllocator
{
    protected override int GetBufferCapacityInBytes() => Array.MaxLength;

    public override IMemoryOwner<T> Allocate<T>(int length, AllocationOptions options = AllocationOptions.None)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        long bytes = (long)length * Unsafe.SizeOf<T>();
        if (bytes > limitBytes || bytes > Array.MaxLength)
        {
            // The same refusal as the pooled allocator's AllocationLimitMegabytes: whatever the data claims past its
            // header, no buffer larger than the frame the header check allowed.
            throw new InvalidMemoryOperationException($"Refusing a buffer of {bytes:N0} bytes; the limit is {limitBytes:N0}.");
        }

        // A fresh managed array is already zeroed, as AllocationOptions.Clean asks.
        var array = new byte[bytes];
        if (array.Length > (_largest?.Length ?? -1))
        {
            _largest = array;
        }

        return new Owner<T>(array);
    }

    // ImageSharp hands the frame's memory back wrapped in its own manager, so the array is recognised by identity:
    // the largest array this thread was given since StartCapture, if the memory is exactly that array.
    [ThreadStatic]
    private static byte[]? _largest;

    /// <summary>Starts remembering the largest array handed out on this thread (the decode's frame).</summary>
    internal static void StartCapture() => _largest = null;

    /// <summary>The byte array behind <paramref name="memory"/> when it is exactly the largest array this thread was given.</summary>
    internal static byte[]? ArrayOf<T>(Memory<T> memory)
        where T : struct
    {
        var candidate = _largest;
        _largest = null;
        var bytes = MemoryMarshal.AsBytes(memory.Span);
        return candidate is { Length: > 0 } && bytes.Length == candidate.Length
            && Unsafe.AreSame(ref MemoryMarshal.GetReference(bytes), ref MemoryMarshal.GetArrayDataReference(candidate))
            ? candidate
            : null;
    }

    private sealed class Owner<T>(byte[] bytes) : MemoryManager<T>
        where T : struct
    {
        internal byte[] Bytes { get; } = bytes;

        public override Span<T> GetSpan() => MemoryMarshal.Cast<byte, T>(Bytes.AsSpan());

        public override MemoryHandle Pin(int elementIndex = 0)
        {
            var handle = GCHandle.Alloc(Bytes, GCHandleType.Pinned);
            unsafe
            {
                return new MemoryHandle((byte*)handle.AddrOfPinnedObject() + (elementIndex * Unsafe.SizeOf<T>()), handle, this);
            }
        }

        public override void Unpin()
        {
        }

        // The array is the garbage collector's; nothing to release (the tile may now own it).
        protected override void Dispose(bool disposing)
        {
        }
    }
}
