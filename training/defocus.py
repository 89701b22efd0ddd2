"""Physically based synthetic defocus (scalar, incoherent, dry objective), batched with FFTs in torch.

Convention (fixed): NA 0.8, n = 1; for wavelength lam the amplitude PSF is the inverse Fourier transform of
P(f) * exp(i 2 pi z (sqrt((n / lam)^2 - |f|^2) - n / lam)) with P(f) = 1 for |f| <= NA / lam. The intensity PSF
is |amplitude|^2, integrated over the pixel area (oversampled, then box-summed) and normalised to sum 1.
lam = 0.61, 0.54, 0.46 um for R, G, B. Blur is applied in linear light (sRGB decoded first, encoded after).
z is the distance of the specimen plane from the focal plane in um.
"""
import math

import torch

import contract

NA = 0.8
REFRACTIVE_INDEX = 1.0
WAVELENGTHS_UM = (0.61, 0.54, 0.46)
MODEL_UM_PER_PX = contract.MICRONS_PER_PIXEL
KERNEL_SIZE = 71          # model pixels; covers the 13.3 um geometric blur radius at z = 10 um plus the tails
OVERSAMPLE = 5            # odd, so the centre sample is the centre of the centre pixel
OPTICS_DESCRIPTION = ("scalar, incoherent, dry objective; amplitude PSF = IFT of circular pupil (|f| <= NA/lambda) "
                      "times exp(i 2 pi z (sqrt((n/lambda)^2 - f^2) - n/lambda)); intensity = |amplitude|^2 "
                      f"integrated over the {MODEL_UM_PER_PX} um pixel (5x5 oversampled, box-summed), normalised to "
                      "sum 1; "
                      "blur in linear light (sRGB decoded, then re-encoded)")


def psf(z, wavelength, pixel_um=MODEL_UM_PER_PX, size=KERNEL_SIZE, oversample=OVERSAMPLE, na=NA,
        n=REFRACTIVE_INDEX, integrate=True, normalize=True, paraxial=False, device="cpu", dtype=torch.float64):
    """Intensity PSF for each z (tensor or float, um): returns [len(z), size, size] (integrate) or the fine grid."""
    z = torch.as_tensor(z, dtype=dtype, device=device).reshape(-1)
    m = size * oversample if integrate else size
    dx = pixel_um / oversample if integrate else pixel_um
    f = torch.fft.fftfreq(m, d=dx, dtype=dtype, device=device)
    f2 = f[None, :] ** 2 + f[:, None] ** 2
    k = n / wavelength
    pupil = (f2 <= (na / wavelength) ** 2).to(dtype)
    if paraxial:
        w = -0.5 * wavelength / n * f2                       # Fresnel approximation of the defocus term
    else:
        w = torch.sqrt(torch.clamp(k * k - f2, min=0.0)) - k
    phase = 2 * math.pi * z[:, None, None] * w[None]
    amp = torch.fft.ifft2(pupil[None] * torch.exp(1j * phase))
    inten = torch.fft.fftshift(amp.real ** 2 + amp.imag ** 2, dim=(-2, -1))
    if integrate:
        inten = inten.reshape(-1, size, oversample, size, oversample).sum(dim=(2, 4))
    if normalize:
        inten = inten / inten.sum(dim=(-2, -1), keepdim=True)
    return inten


class PSFBank:
    """PSFs precomputed on a fine z grid for the three channels; linear interpolation in between."""

    def __init__(self, z_max=11.0, dz=0.02, size=KERNEL_SIZE, device="cpu", chunk=32):
        self.dz, self.size = dz, size
        zs = torch.arange(0.0, z_max + dz / 2, dz, dtype=torch.float64)
        banks = []
        for lam in WAVELENGTHS_UM:
            parts = [psf(zs[i:i + chunk].to(device), lam, size=size, device=device) for i in range(0, len(zs), chunk)]
            banks.append(torch.cat(parts).float())
        self.bank = torch.stack(banks, dim=1)  # [Z, 3, K, K]
        self.z_max = float(zs[-1])

    def to(self, device):
        self.bank = self.bank.to(device)
        return self

    def __call__(self, z):
        """z: [B] (um, sign ignored) -> kernels [B, 3, K, K]."""
        pos = torch.clamp(z.abs().float() / self.dz, 0, self.bank.shape[0] - 1.0)
        i0 = torch.clamp(pos.floor().long(), max=self.bank.shape[0] - 2)
        t = (pos - i0.float())[:, None, None, None]
        return (1 - t) * self.bank[i0] + t * self.bank[i0 + 1]


def srgb_to_linear(x):
    return torch.where(x <= 0.04045, x / 12.92, ((x.clamp(min=0) + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(x):
    x = x.clamp(0, 1)
    return torch.where(x <= 0.0031308, 12.92 * x, 1.055 * x.clamp(min=1e-12) ** (1 / 2.4) - 0.055)


def fft_size(n):
    """Smallest size >= n with no prime factor above 5: FFTs of sizes like 246 = 2 * 3 * 41 are several times
    slower than of 250."""
    while True:
        m = n
        for p in (2, 3, 5):
            while m % p == 0:
                m //= p
        if m == 1:
            return n
        n += 1


def fft_convolve(images, kernels):
    """Convolution of images [B, C, H, W] with centred kernels [B, C, K, K] (K odd, K <= H, W), computed on an
    FFT-friendly zero-padded grid; the outer K // 2 pixels see zeros or wrapped pixels and must be cropped."""
    h, w = images.shape[-2:]
    k = kernels.shape[-1]
    fh, fw = fft_size(h), fft_size(w)
    pad = torch.zeros(kernels.shape[:-2] + (fh, fw), dtype=images.dtype, device=images.device)
    pad[..., :k, :k] = kernels
    pad = torch.roll(pad, shifts=(-(k // 2), -(k // 2)), dims=(-2, -1))
    out = torch.fft.irfft2(torch.fft.rfft2(images, s=(fh, fw)) * torch.fft.rfft2(pad), s=(fh, fw))
    return out[..., :h, :w]


def defocus_linear(linear, z, bank):
    """Blur linear-light images [B, 3, H, W] by |z| [B]; the outer K//2 pixels wrap and must be cropped."""
    return fft_convolve(linear, bank(z).to(linear.dtype))


def defocus_srgb(srgb, z, bank):
    """Convenience: sRGB in [0, 1] -> defocused sRGB in [0, 1] (same size, borders wrapped)."""
    return linear_to_srgb(defocus_linear(srgb_to_linear(srgb), z, bank))
