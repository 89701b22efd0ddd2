"""Synthetic-defocus training/validation presets: specimen jitter -> optics -> sensor -> scanner processing.

Everything runs batched in torch (CPU or GPU). Input: in-focus sRGB crops [B, 3, H, W] in [0, 1] with a margin of
at least KERNEL_SIZE // 2 pixels around the output crop; output: [B, 3, out, out] in [0, 1] quantised to 8 bits.
Also the data presets built on it: PatchSampler (training crops) and build_val_set (the fixed held-out set).
"""
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

import defocus
import utils

# IJG (libjpeg) base quantisation tables, quality 50
_LUMA = [16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
         14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
         49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99]
_CHROMA = [17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
           47, 66, 99, 99, 99, 99, 99, 99] + [99] * 32

# Optical density (R, G, B) of haematoxylin, eosin and DAB (Ruifrok & Johnston, 2001), one row each
_STAIN_OD = [[0.65, 0.70, 0.29], [0.07, 0.99, 0.11], [0.27, 0.57, 0.78]]
# Optical density of the periodic acid-Schiff (PAS) magenta: the H PAS preset of G. Landini's ImageJ colour
# deconvolution plugin. Only the evaluation's stain-shift set uses it (no training recipe does).
_PAS_OD = [0.175411, 0.972178, 0.154589]


def _unmix_he(od):
    """Each pixel's optical density [B, 3, H, W] as amounts of haematoxylin, eosin and a residual orthogonal to
    both (the scans' dyes are not exactly the reference vectors). Returns (amounts [B, 3, H, W], the three unit
    dye vectors [3, 3], one per row): od == einsum(amounts, vectors) exactly."""
    h_od, e_od = [v / v.norm() for v in torch.tensor(_STAIN_OD[:2], dtype=od.dtype, device=od.device)]
    residual_od = torch.linalg.cross(h_od, e_od)
    basis = torch.stack([h_od, e_od, residual_od / residual_od.norm()])
    return torch.einsum("bchw,cs->bshw", od, torch.linalg.inv(basis)), basis


def _dct_matrix(device, dtype):
    d = [[(math.sqrt(1 / 8) if k == 0 else math.sqrt(2 / 8)) * math.cos(math.pi * (2 * n + 1) * k / 16)
          for n in range(8)] for k in range(8)]
    return torch.tensor(d, dtype=dtype, device=device)


def _quant_tables(quality, base, device, dtype):
    q = quality.to(dtype).clamp(1, 100)
    scale = torch.where(q < 50, 5000 / q, 200 - 2 * q)
    t = torch.tensor(base, dtype=dtype, device=device).reshape(1, 8, 8)
    return torch.floor((t * scale[:, None, None] + 50) / 100).clamp(1, 255)


def _blockwise(x, table, d):
    """x: [B, H, W] (0..255, H, W multiples of 8) -> JPEG quantised/dequantised."""
    b, h, w = x.shape
    blocks = (x - 128).reshape(b, h // 8, 8, w // 8, 8).permute(0, 1, 3, 2, 4)
    coef = d @ blocks @ d.T
    t = table[:, None, None]
    coef = torch.round(coef / t) * t
    out = d.T @ coef @ d + 128
    return out.permute(0, 1, 3, 2, 4).reshape(b, h, w)


def jpeg_simulate(rgb, quality):
    """Baseline JPEG round trip (YCbCr, 4:2:0, IJG tables at per-sample quality) of [B, 3, H, W] in [0, 1]."""
    b, _, h, w = rgb.shape
    ph, pw = (-h) % 16, (-w) % 16
    x = F.pad(rgb, (0, pw, 0, ph), mode="replicate") * 255
    r, g, bl = x[:, 0], x[:, 1], x[:, 2]
    y = 0.299 * r + 0.587 * g + 0.114 * bl
    cb = -0.168736 * r - 0.331264 * g + 0.5 * bl + 128
    cr = 0.5 * r - 0.418688 * g - 0.081312 * bl + 128
    d = _dct_matrix(rgb.device, rgb.dtype)
    y = _blockwise(y, _quant_tables(quality, _LUMA, rgb.device, rgb.dtype), d)
    ct = _quant_tables(quality, _CHROMA, rgb.device, rgb.dtype)
    chroma = []
    for c in (cb, cr):
        small = F.avg_pool2d(c[:, None], 2)[:, 0]
        small = _blockwise(F.pad(small[:, None], (0, (-small.shape[-1]) % 8, 0, (-small.shape[-2]) % 8),
                                 mode="replicate")[:, 0], ct, d)[:, :c.shape[1] // 2, :c.shape[2] // 2]
        chroma.append(F.interpolate(small[:, None], scale_factor=2, mode="bilinear", align_corners=False)[:, 0])
    cb, cr = chroma
    r = y + 1.402 * (cr - 128)
    g = y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128)
    bl = y + 1.772 * (cb - 128)
    out = torch.stack([r, g, bl], dim=1)[..., :h, :w]
    return (torch.round(out.clamp(0, 255)) / 255)


def random_dihedral(x, gen):
    """Random flips and 90 degree rotations per sample."""
    code = torch.randint(0, 8, (x.shape[0],), generator=gen, device="cpu")
    out = x.clone()
    for c in range(8):
        idx = (code == c).nonzero().flatten().to(x.device)
        if idx.numel() == 0:
            continue
        y = x[idx]
        if c & 4:
            y = torch.flip(y, dims=(-1,))
        out[idx] = torch.rot90(y, c & 3, dims=(-2, -1))
    return out


def sample_defocus(n, gen, z_max=11.0, p_zero=0.1, p_level=0.2):
    """|z| labels: some exactly 0, some at the reference's integer levels, the rest continuous in [0, z_max]."""
    u = torch.rand(n, generator=gen)
    z = torch.rand(n, generator=gen) * z_max
    levels = torch.randint(0, 11, (n,), generator=gen).float()
    z = torch.where(u < p_zero + p_level, levels, z)
    return torch.where(u < p_zero, torch.zeros_like(z), z)


class SyntheticDefocus:
    """Specimen (stain/intensity) jitter, defocus PSF in linear light, sensor noise, tone jitter, 8 bits, JPEG."""

    def __init__(self, bank, out_size, nuisance=True, p_jpeg=0.7, jpeg_quality=(45, 95), stain_jitter=0.2,
                 density_jitter=0.0, restain=0.0, sparse=0.0, pas=0.0, specimens=None):
        self.bank, self.out_size, self.nuisance = bank, out_size, nuisance
        # specimens.Specimens (thick sections, folds, tilt, no-information tissue) or None: thin planes only
        self.specimens = specimens
        self.p_jpeg, self.jpeg_quality = p_jpeg, jpeg_quality
        # optical density scale: per channel in 1 +- stain_jitter (hue), and overall in 1 +- density_jitter (how
        # much stain the section took up: pale and heavy staining are not defocus)
        self.stain_jitter, self.density_jitter = stain_jitter, density_jitter
        # share of samples re-stained in haematoxylin/eosin/DAB space (see _restain)
        self.restain = restain
        # share of samples thinned to sparse tissue on glass (see _thin)
        self.sparse = sparse
        # share of samples re-rendered as haematoxylin + PAS (see _pas; the stain-shift evaluation only)
        self.pas = pas

    def _restain(self, od, gen):
        """Re-stain a share of the H&E crops as other brightfield stains would show the same tissue.

        Unmixes each pixel's optical density into haematoxylin, eosin and a residual orthogonal to both (the
        scans' dyes are not exactly the reference vectors; the residual follows the mean of the two scales), then
        keeps the haematoxylin (x 0.7-1.3), keeps 0-100 % of the eosin (down to none: the pale counterstain-only
        look of IHC), and in half of them turns 0-80 % of either the nuclear (haematoxylin) or the eosin amount
        into DAB, a brown chromogen on nuclei or on cytoplasm and stroma. Texture and edges are untouched: only
        colour and contrast change, which the defocus estimate must not depend on.
        """
        b, dev = od.shape[0], od.device
        amount, basis = _unmix_he(od)
        h_od, e_od = basis[0], basis[1]
        dab_od = torch.tensor(_STAIN_OD[2], dtype=od.dtype, device=dev)
        dab_od = dab_od / dab_od.norm()
        on = (torch.rand(b, generator=gen) < self.restain).float()
        h_scale = 1 + on * (self._u(gen, b, 0.7, 1.3, "cpu") - 1)
        e_scale = 1 + on * (self._u(gen, b, 0.0, 1.0, "cpu") - 1)
        chromogen = on * (torch.rand(b, generator=gen) < 0.5).float() * self._u(gen, b, 0.0, 0.8, "cpu")
        from_nuclei = (torch.rand(b, generator=gen) < 0.5).float()

        def col(v):
            return v.to(dev).view(b, 1, 1)
        h, e, residual = amount[:, 0], amount[:, 1], amount[:, 2]
        moved = col(chromogen) * (col(from_nuclei) * h + (1 - col(from_nuclei)) * e).clamp(min=0)
        h = col(h_scale) * (h - col(from_nuclei) * moved)
        e = col(e_scale) * (e - (1 - col(from_nuclei)) * moved)
        residual = col((h_scale + e_scale) / 2) * residual
        amounts, dyes = torch.stack([h, e, residual, moved], dim=1), torch.stack([h_od, e_od, basis[2], dab_od])
        return torch.einsum("bshw,sc->bchw", amounts, dyes).clamp(min=0)

    def _pas(self, od, gen):
        """Re-render a share of the crops as a haematoxylin + periodic acid-Schiff section (the kidney biopsy
        stain): the eosin amount moves onto the PAS magenta at 50-100 % of its density and the haematoxylin keeps
        70-100 % of its own (PAS sections are usually cut thinner and counterstained lighter); the residual follows
        the mean of the two scales. A colour model only: the tissue's texture stays that of the H&E source.
        """
        b, dev = od.shape[0], od.device
        amount, basis = _unmix_he(od)
        on = (torch.rand(b, generator=gen) < self.pas).float()
        h_scale = (1 + on * (self._u(gen, b, 0.7, 1.0, "cpu") - 1)).to(dev).view(b, 1, 1)
        e_scale = (1 + on * (self._u(gen, b, 0.5, 1.0, "cpu") - 1)).to(dev).view(b, 1, 1)
        pas_od = torch.tensor(_PAS_OD, dtype=od.dtype, device=dev)
        e_dye = on.to(dev).view(b, 1) * (pas_od / pas_od.norm() - basis[1]) + basis[1]   # [B, 3]: PAS where on
        return (torch.einsum("bhw,c->bchw", h_scale * amount[:, 0], basis[0])
                + torch.einsum("bhw,bc->bchw", e_scale * amount[:, 1], e_dye)
                + torch.einsum("bhw,c->bchw", (h_scale + e_scale) / 2 * amount[:, 2], basis[2])).clamp(min=0)

    def _thin(self, od, gen):
        """Thin a share of the crops to sparse tissue on glass, before the blur.

        Dense H&E is most of the training tissue, and a small network learns that little structure per area means
        blur; sparse IHC sections (scattered nuclei, pale cytoplasm, glass between) then read 0.2-0.4 um too
        defocused. Here the optical density is multiplied by a smooth random mask (a 5 x 5 grid of uniform values,
        upsampled, through a steep sigmoid at a random threshold), so part of the crop (~40 % on average, from a
        few per cent to three quarters) fades to glass and the rest keeps its tissue; the label (the focal
        distance) is unchanged, and the PSF blurs both alike.
        """
        b, dev = od.shape[0], od.device
        on = (torch.rand(b, generator=gen) < self.sparse).float().to(dev).view(b, 1, 1, 1)
        grid = torch.rand(b, 1, 5, 5, generator=gen).to(dev)
        field = F.interpolate(grid, size=od.shape[-2:], mode="bilinear", align_corners=True)
        threshold = self._u(gen, b, 0.3, 0.7, dev, (1, 1, 1))
        mask = torch.sigmoid((field - threshold) / 0.03)
        return od * (1 - on + on * mask)

    def _u(self, gen, n, lo, hi, dev, shape=()):
        return (torch.rand((n,) + shape, generator=gen) * (hi - lo) + lo).to(dev)

    def __call__(self, srgb, z, gen):
        """srgb: [B, 3, H, W] in-focus crops in [0, 1]; z: [B] um; gen: CPU torch.Generator."""
        return self.render(srgb, z, gen)[0]

    def render(self, srgb, z, gen):
        """Like __call__, and the labels: z itself for thin planes, the specimen's label (specimens.py) otherwise."""
        b, dev = srgb.shape[0], srgb.device
        labels = z
        x = srgb
        if self.nuisance:
            x = random_dihedral(x, gen)
        lin = defocus.srgb_to_linear(x)
        if self.nuisance:  # stain jitter: per-channel optical density scale, and illumination level
            od = -torch.log(lin.clamp(min=1e-3))
            if self.restain > 0:          # drawn only when used, so earlier runs replay bit for bit
                od = self._restain(od, gen)
            if self.pas > 0:              # likewise; the specimen's stain, before the per-slide jitter below
                od = self._pas(od, gen)
            od = od * self._u(gen, b, 1 - self.stain_jitter, 1 + self.stain_jitter, dev, (3, 1, 1))
            if self.density_jitter > 0:   # likewise
                od = od * self._u(gen, b, 1 - self.density_jitter, 1 + self.density_jitter, dev, (1, 1, 1))
            if self.sparse > 0:           # likewise
                od = self._thin(od, gen)
            if self.specimens is None:
                lin = torch.exp(-od) * self._u(gen, b, 0.85, 1.1, dev, (1, 1, 1))
            else:
                lin, labels, _ = self.specimens.render(od, self._u(gen, b, 0.85, 1.1, dev, (1, 1, 1)), z, self.bank, gen)
        if not self.nuisance or self.specimens is None:
            lin = defocus.defocus_linear(lin, z.to(dev), self.bank)
        h, w = lin.shape[-2:]
        m = 8 if self.nuisance else 0
        s = self.out_size + m
        top, left = (h - s) // 2, (w - s) // 2
        lin = lin[..., top:top + s, left:left + s].clamp(min=0)
        if self.nuisance:  # Poisson-Gaussian sensor noise in linear light
            a = torch.exp(self._u(gen, b, math.log(1e-5), math.log(2e-3), dev, (1, 1, 1)))
            c = torch.exp(self._u(gen, b, math.log(1e-7), math.log(1e-4), dev, (1, 1, 1)))
            dev_gen = torch.Generator(device=dev).manual_seed(int(torch.randint(0, 2 ** 62, (1,), generator=gen)))
            noise = torch.randn(lin.shape, generator=dev_gen, device=dev)
            lin = lin + torch.sqrt(a * lin + c) * noise
        out = defocus.linear_to_srgb(lin)
        if self.nuisance:  # scanner tone processing: contrast, brightness, gamma
            con = self._u(gen, b, 0.85, 1.15, dev, (1, 1, 1))
            bri = self._u(gen, b, -0.05, 0.05, dev, (1, 1, 1))
            gam = self._u(gen, b, 0.85, 1.15, dev, (1, 1, 1))
            out = ((out - 0.5) * con + 0.5 + bri).clamp(0, 1) ** gam
        out = torch.round(out.clamp(0, 1) * 255) / 255
        if self.nuisance:
            use = torch.rand(b, generator=gen) < self.p_jpeg
            q = torch.randint(self.jpeg_quality[0], self.jpeg_quality[1] + 1, (b,), generator=gen)
            idx = use.nonzero().flatten()
            if idx.numel():
                out[idx.to(dev)] = jpeg_simulate(out[idx.to(dev)], q[idx].to(dev))
            oy, ox = [int(v) for v in torch.randint(0, m + 1, (2,), generator=gen)]
            out = out[..., oy:oy + self.out_size, ox:ox + self.out_size]
        return out.contiguous(), labels


def load_padded(data_dir, src, margin, min_size=0):
    """A prepared source image, padded as prepare.py saw it (to its patch size), mirrored out further to `min_size`
    if that is larger, plus a PSF margin (mirrored). Returns the image and (dy, dx), how far the further padding
    moved the prepared image's pixels (0 unless `min_size` exceeds its size)."""
    img = utils.pad_to_min(utils.load_rgb(os.path.join(data_dir, src["image"])), src["padTo"])
    h, w = img.shape[:2]
    img = utils.pad_to_min(img, min_size)
    shift = ((img.shape[0] - h) // 2, (img.shape[1] - w) // 2)     # pad_to_min centres the image
    return np.pad(img, ((margin, margin), (margin, margin), (0, 0)), mode="symmetric"), shift


class PatchSampler:
    """Draws in-focus crops (with a margin for the PSF) from the prepared training patches.

    A crop no larger than a prepared window lies at a random offset inside it. A larger crop (e.g. the 320 px the
    shipped model scores, from 256 px training windows) is centred on the window, or with `jitter_large` placed at
    a random offset that still covers the whole window, and shifted to stay inside the image; images smaller than
    the crop are first mirrored out to its size, as prepare.py does for its patch size.
    """

    def __init__(self, manifest, data_dir, split, crop_size, margin, device, jitter_large=False):
        self.images, self.windows, weights = [], [], []
        for src in manifest["sources"]:
            if src["split"] != split or not src["patches"]:
                continue
            img, (dy, dx) = load_padded(data_dir, src, margin, crop_size)
            self.images.append(torch.from_numpy(np.ascontiguousarray(img)).permute(2, 0, 1).to(device))
            k = len(self.images) - 1
            for p in src["patches"]:
                self.windows.append((k, p["y"] + dy, p["x"] + dx, p["size"]))
                weights.append(1.0 / math.sqrt(len(src["patches"])))   # sources weigh ~sqrt(#patches)
        self.weights = torch.tensor(weights, dtype=torch.float64)
        self.crop, self.margin, self.jitter_large = crop_size, margin, jitter_large

    def crop_origin(self, k, y, x, size, gen):
        """Top-left corner, in the margin-padded image, of the crop (with its margins) drawn from a window."""
        if size >= self.crop:
            oy, ox = [int(v) for v in torch.randint(0, size - self.crop + 1, (2,), generator=gen)]
            return y + oy, x + ox
        _, hp, wp = self.images[k].shape
        s = self.crop + 2 * self.margin
        if self.jitter_large:   # as much translation as a crop inside a window gets, and the window always inside
            oy, ox = [int(v) for v in torch.randint(size - self.crop, 1, (2,), generator=gen)]
        else:
            oy = ox = (size - self.crop) // 2     # negative: the crop reaches beyond the window on every side
        return min(max(y + oy, 0), hp - s), min(max(x + ox, 0), wp - s)

    def sample(self, n, gen, z_max=11.0):
        idx = torch.multinomial(self.weights, n, replacement=True, generator=gen)
        out = []
        s = self.crop + 2 * self.margin
        for i in idx.tolist():
            k, y, x, size = self.windows[i]
            cy, cx = self.crop_origin(k, y, x, size, gen)
            out.append(self.images[k][:, cy:cy + s, cx:cx + s])
        crops = torch.stack(out).float() / 255
        return crops, sample_defocus(n, gen, z_max=z_max)


class TrainingBatches:
    """Synthetic training batches. Without a pool every sample is fresh. With a replay pool (for CPUs, where the
    optics simulation costs ~15x the network's step), each step refreshes `refresh` random slots of the pool with
    fresh samples and trains on a random draw from it, re-oriented by a random flip / 90 degree rotation (the PSF
    is symmetric), so each simulated sample is seen about batch_size / refresh times."""

    def __init__(self, sampler, synth, pool_size=0, refresh=0):
        self.sampler, self.synth = sampler, synth
        self.pool_size, self.refresh = pool_size, refresh
        self.pool_x = self.pool_z = None

    def _fresh(self, n, gen):
        crops, z = self.sampler.sample(n, gen)
        with torch.no_grad():
            return self.synth.render(crops, z, gen)

    def _fill(self, gen, chunk=64):
        xs, zs = [], []
        for i in range(0, self.pool_size, chunk):
            x, z = self._fresh(min(chunk, self.pool_size - i), gen)
            xs.append(torch.round(x * 255).to(torch.uint8))
            zs.append(z)
        self.pool_x, self.pool_z = torch.cat(xs), torch.cat(zs)

    def next(self, batch_size, gen):
        if not self.pool_size:
            return self._fresh(batch_size, gen)
        if self.pool_x is None:
            self._fill(gen)
        slots = torch.randperm(self.pool_size, generator=gen)[:self.refresh]
        x, z = self._fresh(len(slots), gen)
        self.pool_x[slots.to(self.pool_x.device)] = torch.round(x * 255).to(torch.uint8)
        self.pool_z[slots] = z
        idx = torch.randint(0, self.pool_size, (batch_size,), generator=gen)
        xb = self.pool_x[idx.to(self.pool_x.device)].float() / 255
        return random_dihedral(xb, gen), self.pool_z[idx]


VAL_SEED = 20240601     # the held-out draw that train.py and evaluate.py report


# Stain shifts the held-out set can be drawn under (every sample re-stained; no model trains on these at share 1)
STAIN_SHIFTS = {"none": {}, "restain": {"restain": 1.0}, "pas": {"pas": 1.0}}


def build_val_set(manifest, data_dir, bank, size, device, seed=VAL_SEED, n_random=5, chunk=32, max_patches=0,
                  stain_shift="none", specimens=None):
    """Fixed validation set: every held-out patch at the levels 0..10 plus n_random continuous z in [0, 10];
    `stain_shift` re-stains every sample before the blur (STAIN_SHIFTS; "none" draws exactly as before);
    `specimens` (specimens.Specimens) renders them as thick sections, folds, tilt..., and the labels returned are
    then the specimens' labels (specimens.py), not the drawn z."""
    margin = defocus.KERNEL_SIZE // 2 + 8
    gen = torch.Generator().manual_seed(seed)
    synth = SyntheticDefocus(bank, size, nuisance=True, specimens=specimens, **STAIN_SHIFTS[stain_shift])
    crops, zs, src_names = [], [], []
    for src in manifest["sources"]:
        if src["split"] != "val":
            continue
        img, _ = load_padded(data_dir, src, margin)
        for p in src["patches"][:max_patches or None]:
            c = img[p["y"]:p["y"] + size + 2 * margin, p["x"]:p["x"] + size + 2 * margin]
            levels = list(range(11)) + (torch.rand(n_random, generator=gen) * 10).tolist()
            for z in levels:
                crops.append(c)
                zs.append(float(z))
                src_names.append(src["file"])
    xs, labels = [], []
    for i in range(0, len(crops), chunk):
        cb = torch.from_numpy(np.stack(crops[i:i + chunk])).permute(0, 3, 1, 2).float().to(device) / 255
        out, label = synth.render(cb, torch.tensor(zs[i:i + chunk]), gen)
        xs.append(torch.round(out * 255).to(torch.uint8).cpu())
        labels.append(label.float().cpu())
    return torch.cat(xs), torch.cat(labels), src_names
