import math

import numpy as np
import torch

import defocus


def second_moment(k):
    n = k.shape[-1]
    yy, xx = torch.meshgrid(torch.arange(n) - n // 2, torch.arange(n) - n // 2, indexing="ij")
    return float((k * (xx ** 2 + yy ** 2)).sum())


def test_psf_sums_to_one_and_widens_with_z():
    zs = torch.arange(0, 11, 1.0)
    for lam in defocus.WAVELENGTHS_UM:
        k = defocus.psf(zs, lam)
        assert torch.allclose(k.sum(dim=(-2, -1)), torch.ones(len(zs), dtype=k.dtype), atol=1e-9)
        assert (k >= -1e-12).all()
        moments = [second_moment(k[i]) for i in range(len(zs))]
        assert all(b > a for a, b in zip(moments, moments[1:])), moments
        # |z| and -|z| give the same intensity PSF
        assert torch.allclose(defocus.psf(-3.0, lam), defocus.psf(3.0, lam), atol=1e-9)


def test_first_dark_ring_at_airy_radius():
    lam, dx, n = 0.54, 0.01, 1024
    k = defocus.psf(0.0, lam, pixel_um=dx, size=n, integrate=False)[0]
    profile = k[n // 2, n // 2:].numpy()
    first_min = next(i for i in range(1, len(profile) - 1) if profile[i] < profile[i - 1] and profile[i] <= profile[i + 1])
    assert abs(first_min * dx - 0.61 * lam / defocus.NA) < 0.015
    assert profile[first_min] < 1e-3 * profile[0]


def test_small_na_approaches_paraxial_fresnel():
    lam, na = 0.54, 0.1
    z = torch.tensor([0.0, 20.0, 40.0, 60.0])
    exact = defocus.psf(z, lam, na=na, pixel_um=0.25, size=256, integrate=False)
    fresnel = defocus.psf(z, lam, na=na, pixel_um=0.25, size=256, integrate=False, paraxial=True)
    assert float((exact - fresnel).abs().max() / exact.max()) < 0.01
    # on-axis intensity follows the paraxial sinc^2 law: I(z)/I(0) = sinc^2(z NA^2 / (2 lam))
    raw = defocus.psf(z, lam, na=na, pixel_um=0.25, size=256, integrate=False, normalize=False)
    c = 128
    ratio = (raw[:, c, c] / raw[0, c, c]).numpy()
    w = z.numpy() * na ** 2 / (2 * lam)
    assert np.allclose(ratio, np.sinc(w) ** 2, atol=0.02)
    # at high NA the exact and paraxial models differ clearly
    hi = defocus.psf(5.0, lam)
    hi_p = defocus.psf(5.0, lam, paraxial=True)
    assert float((hi - hi_p).abs().sum()) > 0.05


def test_bank_interpolates_and_convolution_keeps_mean():
    bank = defocus.PSFBank(z_max=4.0, dz=0.5, size=31)
    k = bank(torch.tensor([0.0, 2.0, 2.25]))
    assert torch.allclose(k[2], 0.5 * (k[1] + bank(torch.tensor([2.5]))[0]), atol=1e-6)
    assert torch.allclose(k.sum(dim=(-2, -1)), torch.ones(3, 3), atol=1e-5)
    assert torch.allclose(k[0, 0], defocus.psf(0.0, 0.61, size=31)[0].float(), atol=1e-6)
    img = torch.rand(3, 3, 64, 64)
    out = defocus.fft_convolve(img, k)
    assert torch.allclose(out.mean(dim=(-2, -1)), img.mean(dim=(-2, -1)), atol=1e-5)
    delta = torch.zeros(1, 3, 31, 31)
    delta[..., 15, 15] = 1
    assert torch.allclose(defocus.fft_convolve(img[:1], delta), img[:1], atol=1e-5)
    # defocus removes fine detail
    x = torch.rand(2, 3, 96, 96)
    y = defocus.defocus_srgb(x, torch.tensor([0.0, 4.0]), bank)
    hf = lambda t: float((t[..., 1:, :] - t[..., :-1, :]).abs().mean())
    assert hf(y[1]) < 0.5 * hf(y[0])
    assert math.isfinite(float(y.sum()))


def test_fft_size_is_5_smooth_and_padding_keeps_the_valid_region():
    assert [defocus.fft_size(n) for n in (246, 250, 310, 406, 64)] == [250, 250, 320, 432, 64]
    torch.manual_seed(3)
    k = defocus.PSFBank(z_max=3.0, dz=0.5, size=15)(torch.tensor([3.0]))
    img = torch.rand(1, 3, 41, 41)                       # 41 is prime: the FFT runs on a padded 45 x 45 grid
    out = defocus.fft_convolve(img, k)
    assert out.shape == img.shape
    direct = torch.nn.functional.conv2d(img, k[0][:, None].flip(-2, -1), groups=3)   # valid region only
    assert torch.allclose(out[..., 7:-7, 7:-7], direct, atol=1e-5)
