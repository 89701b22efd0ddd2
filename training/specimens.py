"""Specimens that are not one thin plane: thick sections, folds, tilt, and tissue with no focus information.

The simulator's default specimen is a thin plane at distance z from the focal plane: the image is the in-focus
transmittance blurred by the PSF at |z|. Real sections are 3-10 um thick, fold over, and lie tilted under the
objective, and some tissue (smooth stroma, fat, mucus, colloid, evenly stained regions) carries too little structure
for any blur to show. `Specimens.render` draws such specimens for a share of a batch:

- **thick**: the section is 2-8 um thick; 4 layers at evenly spaced depths across it, each with its own content (the
  crops of other samples of the batch), each holding 1/4 of the section's optical density, which grows with
  thickness (a 4 um section has the density of a training crop). Each layer is blurred at its own |z| and the
  transmittances are multiplied in linear light (absorption by layers in series).
- **fold**: a second layer (another crop) over a smooth region covering 30-70 % of the patch, 2-6 um above or
  below the section; transmittances multiplied.
- **tilt**: the section's distance varies linearly across the patch, by 1-6 um edge to edge along x or y; the
  image blends blurs at 5 depths by position.
- **flat**: the patch's stain is replaced by its mean colour (with 0.5-1.5 x its density): nothing to see; with extra
  sensor noise (a featureless field is the same after any blur), so heavy noise on it is not read as defocus.
- **smooth**: the stain is low-passed (Gaussian, sigma 6-20 px, 3-10 um) before the optics: structure only at
  scales that defocus barely changes.

**Label** (docs/model.md): the optical-density-weighted root-mean-square defocus over the specimen's absorbing
material, sqrt(sum_i w_i z_i^2 / sum_i w_i), over layers (thick, fold) or positions (tilt). For a thin plane it is
|z|, the label the simulator always had. It grows with the blurred share of the material: a 6 um section centred on
the focal plane has 1.7 um, because a third of its absorbers lie more than 2 um away and spread haze over the sharp
ones, which is what a pathologist calls a soft thick section. The mean |z| would weigh the far layers less than
their haze does; the best-focused layer alone would call such a section sharp, which is how the shipped model read
the real hazy scan. flat and smooth keep the drawn z as label: the image cannot reveal it, which is what the scale
head must learn (its likelihood can only be kept low by a wide distribution).
"""
import math

import torch
import torch.nn.functional as F

import defocus
import presets

KINDS = ("plane", "thick", "fold", "tilt", "flat", "smooth")
LAYERS = 4
TILT_DEPTHS = 5
REFERENCE_THICKNESS_UM = 4.0


def _u(gen, n, lo, hi):
    return torch.rand(n, generator=gen) * (hi - lo) + lo


def weighted_rms(z, w):
    """Per sample: sqrt(sum w z^2 / sum w) over the last axis (z, w: [B, K])."""
    return torch.sqrt((w * z * z).sum(dim=1) / w.sum(dim=1).clamp(min=1e-8))


def _blur(od, z, bank):
    return defocus.defocus_linear(torch.exp(-od), z, bank)


def _gaussian_lowpass(x, sigma):
    """x: [B, C, H, W]; sigma: [B] px. Separable Gaussian, reflect-padded, one kernel size for the batch."""
    k = int(2 * math.ceil(3 * float(sigma.max())) + 1)
    r = torch.arange(k, dtype=x.dtype, device=x.device) - k // 2
    out = []
    for i in range(x.shape[0]):
        g = torch.exp(-0.5 * (r / sigma[i].to(x.device)) ** 2)
        g = (g / g.sum()).to(x.dtype)
        xi = F.pad(x[i:i + 1], (k // 2, k // 2, k // 2, k // 2), mode="reflect") if k // 2 < min(x.shape[-2:]) else x[i:i + 1]
        c = xi.shape[1]
        xi = F.conv2d(xi, g.view(1, 1, 1, k).expand(c, 1, 1, k), groups=c)
        xi = F.conv2d(xi, g.view(1, 1, k, 1).expand(c, 1, k, 1), groups=c)
        out.append(xi)
    return torch.cat(out)


class Specimens:
    """Draws a specimen kind per sample (shares by kind; the rest are thin planes) and renders it."""

    def __init__(self, thick=0.15, fold=0.05, tilt=0.10, flat=0.04, smooth=0.04, z_max=11.0, out_size=None):
        self.shares = {"thick": thick, "fold": fold, "tilt": tilt, "flat": flat, "smooth": smooth}
        assert sum(self.shares.values()) <= 1.0
        self.z_max = z_max
        self.out_size = out_size     # the output crop inside the margins: tilt's span is across it

    def draw_kinds(self, n, gen):
        u = torch.rand(n, generator=gen)
        kinds = torch.zeros(n, dtype=torch.long)
        edge = 0.0
        for i, kind in enumerate(KINDS[1:], start=1):
            kinds[(u >= edge) & (u < edge + self.shares[kind])] = i
            edge += self.shares[kind]
        return kinds

    def render(self, od, illumination, z, bank, gen, kinds=None):
        """od: [B, 3, H, W] optical density of in-focus crops (with PSF margins); illumination: [B, 1, 1, 1];
        z: [B] drawn |z|. Returns (linear-light image [B, 3, H, W], labels [B], kinds [B])."""
        b, dev = od.shape[0], od.device
        kinds = self.draw_kinds(b, gen) if kinds is None else kinds
        lin = torch.empty_like(od)
        labels = z.clone().float()
        other = torch.roll(od, shifts=1, dims=0)       # another crop of the batch: a second layer's content
        for i, kind in enumerate(KINDS):
            idx = (kinds == i).nonzero().flatten()
            if idx.numel() == 0:
                continue
            d = idx.to(dev)
            out, lab = getattr(self, "_" + kind)(od[d], other[d], z[idx].float(), bank, gen, torch.roll(od, i + 1, 0)[d])
            lin[d] = out * illumination[d]
            labels[idx] = lab.cpu()
        self.last_kinds = kinds          # for callers behind SyntheticDefocus.render that weigh kinds (heads.py)
        return lin, labels, kinds

    # Each renderer: (od, another crop's od, z [n], bank, gen, a third crop's od) -> (linear image, labels [n])

    def _plane(self, od, other, z, bank, gen, third):
        return _blur(od, z.to(od.device), bank), z

    def _thick(self, od, other, z, bank, gen, third):
        n, dev = od.shape[0], od.device
        thickness = _u(gen, n, 2.0, 8.0)
        centre = torch.minimum(z, self.z_max - thickness / 2) * torch.where(torch.rand(n, generator=gen) < 0.5, -1.0, 1.0)
        contents = [od, other, third, torch.flip(other, dims=(-1,))]
        offsets = (torch.arange(LAYERS, dtype=torch.float32) + 0.5) / LAYERS - 0.5   # centres of equal slabs
        depths = centre[:, None] + thickness[:, None] * offsets[None, :]               # [n, LAYERS]
        density = (thickness / REFERENCE_THICKNESS_UM / LAYERS).to(dev).view(n, 1, 1, 1)
        image = torch.ones_like(od)
        weights = []
        for k in range(LAYERS):
            layer = contents[k] * density
            image = image * _blur(layer, depths[:, k].abs().to(dev), bank)
            weights.append(layer.mean(dim=(1, 2, 3)).cpu())
        return image, weighted_rms(depths.abs(), torch.stack(weights, dim=1))

    def _fold(self, od, other, z, bank, gen, third):
        n, dev = od.shape[0], od.device
        h, w = od.shape[-2:]
        offset = _u(gen, n, 2.0, 6.0) * torch.where(torch.rand(n, generator=gen) < 0.5, -1.0, 1.0)
        base = torch.minimum(z, self.z_max - offset.abs()) * torch.where(torch.rand(n, generator=gen) < 0.5, -1.0, 1.0)
        folded = (base + offset).clamp(-self.z_max, self.z_max)
        # the fold's region: a half-plane at a random angle with a soft (8 px) edge, covering 30-70 % of the patch
        angle = _u(gen, n, 0.0, 2 * math.pi)
        cover = _u(gen, n, 0.3, 0.7)
        yy, xx = torch.meshgrid(torch.linspace(-0.5, 0.5, h), torch.linspace(-0.5, 0.5, w), indexing="ij")
        proj = torch.cos(angle)[:, None, None] * xx + torch.sin(angle)[:, None, None] * yy     # [n, h, w]
        flat = proj.reshape(n, -1).sort(dim=1).values
        cut = flat.gather(1, ((1 - cover) * (flat.shape[1] - 1)).round().long()[:, None])[:, 0]
        mask = torch.sigmoid((proj - cut[:, None, None]) * (max(h, w) / 8.0)).to(dev)[:, None]
        layer = other * mask
        image = _blur(od, base.abs().to(dev), bank) * _blur(layer, folded.abs().to(dev), bank)
        weights = torch.stack([od.mean(dim=(1, 2, 3)).cpu(), layer.mean(dim=(1, 2, 3)).cpu()], dim=1)
        return image, weighted_rms(torch.stack([base.abs(), folded.abs()], dim=1), weights)

    def _tilt(self, od, other, z, bank, gen, third):
        n, dev = od.shape[0], od.device
        h, w = od.shape[-2:]
        span = _u(gen, n, 1.0, 6.0)          # um edge to edge of the output patch
        centre = torch.minimum(z, self.z_max - span) * torch.where(torch.rand(n, generator=gen) < 0.5, -1.0, 1.0)
        along_x = (torch.rand(n, generator=gen) < 0.5).to(dev)
        # position across the patch in units of the output patch (its edges at -0.5 and 0.5; margins beyond)
        visible = (self.out_size or w) / w
        yy, xx = torch.meshgrid(torch.linspace(-0.5, 0.5, h, device=dev), torch.linspace(-0.5, 0.5, w, device=dev),
                                indexing="ij")
        coord = torch.where(along_x[:, None, None], xx, yy) / visible                 # [n, h, w]
        nodes = torch.linspace(-0.5 / visible, 0.5 / visible, TILT_DEPTHS)
        step = float(nodes[1] - nodes[0])
        image = torch.zeros_like(od)
        for k in range(TILT_DEPTHS):     # piecewise-linear blend of blurs at the depth nodes, by position
            weight = torch.clamp(1 - (coord - float(nodes[k])).abs() / step, min=0)[:, None]
            image = image + weight * _blur(od, (centre + span * nodes[k]).abs().clamp(max=self.z_max).to(dev), bank)
        # label over the output patch, weighted by the density along the tilt axis
        m = int(round((1 - visible) / 2 * w))
        tissue = od.mean(dim=1)[:, m:h - m, m:w - m]                                  # [n, out, out]
        profile = torch.where(along_x[:, None], tissue.mean(dim=1), tissue.mean(dim=2)).cpu()
        depth = (centre[:, None] + span[:, None] * torch.linspace(-0.5, 0.5, profile.shape[1])[None, :]).abs()
        return image, weighted_rms(depth, profile.clamp(min=1e-6))

    def _flat(self, od, other, z, bank, gen, third):
        n, dev = od.shape[0], od.device
        level = _u(gen, n, 0.5, 1.5).to(dev).view(n, 1, 1, 1)
        lin = torch.exp(-od.mean(dim=(2, 3), keepdim=True) * level).expand_as(od)
        # Extra sensor noise up to ~0.05 in linear light (the pipeline's own reaches ~0.03 only rarely): a uniform
        # field is the same after any blur, so noise added here is sensor noise, and a dim, noisy scan of featureless
        # tissue must not read as defocused (the shipped model put such tiles at ~10 um).
        a = torch.exp(_u(gen, n, math.log(1e-5), math.log(6e-3))).to(dev).view(n, 1, 1, 1)
        noise = torch.randn(lin.shape, generator=torch.Generator(device=dev).manual_seed(
            int(torch.randint(0, 2 ** 62, (1,), generator=gen))), device=dev)
        return (lin + torch.sqrt(a * lin) * noise).clamp(min=0), z

    def _smooth(self, od, other, z, bank, gen, third):
        sigma = _u(gen, od.shape[0], 6.0, 20.0)
        return _blur(_gaussian_lowpass(od, sigma), z.to(od.device), bank), z


# Stain optical-density directions (RGB; haematoxylin, eosin, DAB), the usual colour-deconvolution vectors: presets'
# _STAIN_OD at three decimals. Kept apart because 1.2.0's heads were trained on flat colours drawn with these; fold
# into presets at the next retrain.
STAIN_OD = torch.tensor([[0.650, 0.704, 0.286], [0.072, 0.990, 0.105], [0.268, 0.570, 0.776]])


def flat_colour_patches(n, gen, size, z_max=11.0):
    """Patches that hold no focus information at all, in colours no tissue mean need reach: a random mixture of
    haematoxylin, eosin, DAB and grey optical density at 0.05-1.5 x (pale stain near glass to dark), flat or with a
    smooth shading (up to +-8 %), display noise up to 0.04, half of them JPEG (quality 50-95). The label is a drawn z:
    the image is the same at every defocus. Why beside the `flat` specimen (the patch's own mean colour): the heads
    learn the scale of such patches from what they see, and tissue means leave pale, dark and pure-stain colours out.
    Returns (uint8 [n, 3, size, size], labels [n])."""
    stains = torch.rand(n, 3, generator=gen) * torch.tensor([1.0, 1.0, 0.6]) * (torch.rand(n, 3, generator=gen) < torch.tensor([0.9, 0.9, 0.3]))
    grey = 0.4 * torch.rand(n, 1, generator=gen) * (torch.rand(n, 1, generator=gen) < 0.3)
    od = stains @ STAIN_OD + grey
    od = od / od.max(dim=1, keepdim=True).values.clamp(min=1e-3) * torch.exp(_u(gen, n, math.log(0.05), math.log(1.5))).view(n, 1)
    rgb = torch.exp(-od).view(n, 3, 1, 1).expand(n, 3, size, size)
    field = F.interpolate(torch.rand(n, 1, 3, 3, generator=gen) - 0.5, size=(size, size), mode="bicubic", align_corners=True)
    shading = _u(gen, n, 0.0, 0.16).view(n, 1, 1, 1) * (torch.rand(n, 1, 1, 1, generator=gen) < 0.5)
    x = rgb * (1 + shading * field)
    x = x + _u(gen, n, 0.0, 0.04).view(n, 1, 1, 1) * torch.randn(x.shape, generator=gen)
    x = torch.round(x.clamp(0, 1) * 255) / 255
    jpeg = (torch.rand(n, generator=gen) < 0.5).nonzero().flatten()
    if len(jpeg):
        x[jpeg] = presets.jpeg_simulate(x[jpeg], torch.randint(50, 96, (len(jpeg),), generator=gen))
    return torch.round(x.clamp(0, 1) * 255).to(torch.uint8), _u(gen, n, 0.0, z_max)
