"""Focus regressors. All take raw RGB / 255 at 0.5 um/px and return |z| in um (>= 0); normalisation is inside.

- focusnet (default): stride-2 stem, four depthwise-separable residual stages, global average pooling,
  small MLP head, softplus. About 34 M multiply-adds per 320 x 320 patch, ~0.1 M parameters.
- focusnet_v2: the same blocks behind a 4 x 4 stride-4 "patchify" stem (no padding, so the input normalisation
  folds into it exactly at export), trained on and applied to 160 px windows (a 320 px patch is its four
  quadrants, combined by a trimmed mean): about 11 M multiply-adds per 320 px patch, ~3-4x faster than focusnet on
  a CPU core.
- focusnet_v2_whole: the same network over the whole 320 px patch in one pass, trained on 256 px crops (tried on
  a GPU, not shipped: docs/model-history.md).
- inception_v3: the reference design (torchvision InceptionV3 encoder, random init, no aux logits,
  2048 -> six fully connected layers -> 1) for users with GPUs.
"""
import math

import torch
from torch import nn
import torch.nn.functional as F

MEAN = (0.70, 0.55, 0.70)   # rough H&E / IHC brightfield statistics; exact values do not matter (learned after)
STD = (0.20, 0.25, 0.20)


class Normalize(nn.Module):
    def __init__(self, mean=MEAN, std=STD):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean).reshape(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(std).reshape(1, 3, 1, 1))

    def forward(self, x):
        return (x - self.mean) / self.std


def conv_bn(cin, cout, k=3, stride=1, groups=1, act=True):
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if act:
        layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


class SeparableBlock(nn.Module):
    """Depthwise k x k (optionally stride 2) + pointwise 1 x 1; residual when the shape is kept."""

    def __init__(self, cin, cout, stride=1, k=3):
        super().__init__()
        self.dw = conv_bn(cin, cin, k, stride, groups=cin)
        self.pw = conv_bn(cin, cout, 1, act=False)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.pw(self.dw(x))
        return F.relu(x + y if self.residual else y)


def regression_head(model, features, hidden):
    """features -> hidden -> 1 MLP; also initialises the model's convolutions (He, fan-out) and starts the output
    at 1 um, so that softplus begins in its linear range."""
    head = nn.Sequential(nn.Linear(features, hidden), nn.ReLU(inplace=True), nn.Linear(hidden, 1))
    for m in model.modules():      # after the head is drawn, as before: same seed, same initial weights
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
    nn.init.constant_(head[-1].bias, 1.0)
    return head


class SeparableRegressor(nn.Module):
    """normalize -> stem -> separable stages (per stage: `blocks` blocks of `width` channels, the first one stride 2;
    3 x 3 kernels in the first two stages, 5 x 5 after) -> global mean -> MLP -> softplus. The focusnets differ in
    their stem and stage plan only."""

    def __init__(self, stem, stem_channels, stages, head):
        super().__init__()
        self.normalize = Normalize()
        self.stem = stem
        layers, cin = [], stem_channels
        for i, (width, blocks) in enumerate(stages):
            k = 3 if i < 2 else 5
            layers.append(SeparableBlock(cin, width, stride=2, k=k))
            layers += [SeparableBlock(width, width, stride=1, k=k) for _ in range(blocks - 1)]
            cin = width
        self.features = nn.Sequential(*layers)
        self.head = regression_head(self, cin, head)

    def score(self, x):
        x = self.features(self.stem(self.normalize(x)))
        x = torch.mean(x, dim=(2, 3))
        return F.softplus(self.head(x))

    def forward(self, x):
        return self.score(x)


class FocusNet(SeparableRegressor):
    def __init__(self, stem=12, widths=(24, 48, 96, 192), head=64):
        super().__init__(conv_bn(3, stem, 3, 2), stem, [(w, 2) for w in widths], head)


def trimmed_mean(values):
    """Row-wise mean of [N, K >= 3] values without the row's highest and lowest, as [N, 1]. Written with sums, max
    and min so that it exports to plain ONNX reductions."""
    kept = values.sum(dim=1) - values.max(dim=1).values - values.min(dim=1).values
    return (kept / (values.shape[1] - 2)).unsqueeze(1)


class FocusNetV2(SeparableRegressor):
    """4 x 4 stride-4 stem (a learned filter bank over each 2 um cell: the finest detail survives as energy in its
    channels) -> stride-2 separable stages -> global mean -> MLP -> softplus, on 160 px windows (see forward)."""

    def __init__(self, stem=16, stages=((24, 2), (48, 2), (96, 2), (192, 1)), head=64, window=160):
        stem_layers = nn.Sequential(nn.Conv2d(3, stem, 4, 4, 0, bias=False), nn.BatchNorm2d(stem), nn.ReLU(inplace=True))
        super().__init__(stem_layers, stem, stages, head)
        self.window = window

    def forward(self, x):
        # Trained on `window` px crops, where the last stage's map is 3 x 3 and every position sees the zero
        # padding; one 320 px pass would give a 5 x 5 map with an unpadded centre the head never saw (held-out MAE
        # 0.9 um against 0.4 um on the same patches mid-training). So a larger patch that the window divides is
        # scored as its windows (a 320 px patch as four 160 px quadrants): the same pixels, the same cost.
        # The windows are combined by a trimmed mean (the highest and the lowest dropped; for four windows, the mean
        # of the middle two): a featureless window reads as strongly defocused (~10 um), and one quadrant of grey
        # glass that the tissue rule counts as tissue lifted a sharp patch to 2.6 um under a plain mean.
        n, c, h, w = x.shape
        s = self.window
        if (h > s or w > s) and h % s == 0 and w % s == 0:
            gy, gx = h // s, w // s
            x = x.reshape(n, c, gy, s, gx, s).permute(0, 2, 4, 1, 3, 5).reshape(n * gy * gx, c, s, s)
            windows = self.score(x).reshape(n, gy * gx)
            return trimmed_mean(windows) if gy * gx >= 3 else windows.mean(dim=1, keepdim=True)
        return self.score(x)

    @torch.no_grad()
    def fold_normalization(self):
        """Moves (x - mean) / std into the stem (eval mode; exact, since the stem has no padding) and removes the
        per-pixel Sub/Div from the graph: W' = W / std, and the constant W . (mean / std) goes into the
        BatchNorm's running mean."""
        if isinstance(self.normalize, nn.Identity):
            return self
        conv, bn = self.stem[0], self.stem[1]
        mean, std = self.normalize.mean.reshape(1, 3, 1, 1), self.normalize.std.reshape(1, 3, 1, 1)
        shift = (conv.weight * (mean / std)).sum(dim=(1, 2, 3))
        conv.weight.div_(std)
        bn.running_mean.add_(shift)
        self.normalize = nn.Identity()
        return self


class InceptionFocus(nn.Module):
    def __init__(self):
        super().__init__()
        from torchvision.models import inception_v3
        self.normalize = Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))
        enc = inception_v3(weights=None, aux_logits=False, init_weights=True, transform_input=False)
        enc.fc = nn.Identity()
        enc.dropout = nn.Identity()
        self.encoder = enc
        dims = [2048, 1024, 512, 256, 128, 64]
        layers = []
        for a, b in zip(dims[:-1], dims[1:]):
            layers += [nn.Linear(a, b), nn.ReLU(inplace=True)]
        layers.append(nn.Linear(dims[-1], 1))           # six fully connected layers in all
        self.head = nn.Sequential(*layers)

    def forward(self, x):
        return F.softplus(self.head(self.encoder(self.normalize(x))))


class FocusNetV2Whole(FocusNetV2):
    """focusnet_v2 applied to a whole 320 px patch in one pass (trained on 256 px crops, the prepared windows' size,
    as focusnet is trained on 224): no more multiply-adds per patch, and the global mean pools over the whole
    patch, so one featureless quadrant (glass that the tissue rule counts as tissue) cannot set a quarter of the
    score on its own."""

    def __init__(self):
        super().__init__(window=320)


class StructureContrast(nn.Module):
    """How much structure a patch holds at the scale of cells and their clusters, which no defocus up to ~11 um
    erases: the grey level averaged over 4 um cells (8 px at the model's 0.5 um/px: pixel noise averages out and JPEG's
    8 px blocks fall inside one cell), minus its local mean over ~28 um (two passes of a 7-cell box: shading and
    uneven illumination go), the RMS of what is left over the patch's mean grey, as log(contrast + 0.001).
    Why: a patch with no such structure carries no evidence of its defocus, and the backbone's pooled features, trained
    only to regress defocus, put a flat stain colour with sensor noise where they put tissue blurred by 10 um.
    Measured (held-out draw 7; uncertainty.py's no-information tiles): structured tissue >= 0.024 at every defocus up
    to 11 um, flat and shaded stain colours with noise up to 0.03 and JPEG <= 0.0064. One convolution, pooling,
    padding and reductions: it exports to ONNX and costs ~0.5 M operations per patch, beside the network's 35.7 M."""

    CELL_PX = 8
    BOX_CELLS = 7
    FLOOR = 1e-3
    # Below this contrast a patch counts as structure-poor and gets the no-information prior (TwoOutputs): the
    # geometric middle of the measured gap, 0.0064 .. 0.024.
    POOR_BELOW = 0.012

    def __init__(self, channels=3):
        super().__init__()
        # The grey mean of each cell as one convolution (weights 1 / (channels * cell area), stride one cell): the same
        # numbers as avg_pool2d(x.mean(dim=1)) to float rounding, but ONNX Runtime's ReduceMean over the channels of a
        # whole patch cost 0.29 ms under its profiler, more than the stem (docs/performance.md). Not persistent.
        self.register_buffer("cell_kernel", torch.full((1, channels, self.CELL_PX, self.CELL_PX),
                                                       1.0 / (channels * self.CELL_PX ** 2)), persistent=False)

    def forward(self, x):
        cells = F.conv2d(x, self.cell_kernel, stride=self.CELL_PX)
        pad = self.BOX_CELLS // 2
        local = cells
        for _ in range(2):
            local = F.avg_pool2d(F.pad(local, (pad, pad, pad, pad), mode="replicate"), self.BOX_CELLS, stride=1)
        rms = torch.sqrt(torch.mean((cells - local) ** 2, dim=(2, 3)))
        return torch.log(rms / torch.mean(cells, dim=(2, 3)).clamp(min=0.05) + self.FLOOR)


class FocusNetLaplace(FocusNet):
    """focusnet with a second head: the scale b (um) of a Laplace distribution around its point estimate. Both heads
    read the 192 pooled features and, as a 193rd, the patch's StructureContrast. The network is focusnet's: 1.1.0's
    weights load as they are, its point head with a zero weight on the new input, so that it starts as 1.1.0
    (load_point_weights). `forward` still returns the point estimate only, so every tool that reads one output keeps
    working; `distribution` returns both. The scale is large where the patch cannot reveal its defocus (flat,
    structure-poor, glass) and small where it can: it is trained by the Laplace negative log-likelihood of the label
    around the (detached) point estimate, so it cannot pull the point estimate towards easy targets."""

    SCALE_FLOOR_UM = 0.02

    # Two hidden layers: with one of 32 the head could not tell thin planes from thick sections and smooth tissue on
    # the pooled features, so its planar scales came out twice too wide (in-sample) and calibration, which shrinks
    # them, shrank the wide scales of flat tissue with them. ~41 k multiply-adds: nothing beside the backbone.
    def __init__(self, scale_hidden=(128, 128)):
        super().__init__()
        self.structure = StructureContrast()
        width = self.head[0].in_features + 1
        self.head[0] = nn.Linear(width, self.head[0].out_features)
        layers = []
        for hidden in scale_hidden:
            layers += [nn.Linear(width, hidden), nn.ReLU(inplace=True)]
            width = hidden
        self.scale_head = nn.Sequential(*layers, nn.Linear(width, 1))
        nn.init.zeros_(self.scale_head[-1].weight)
        nn.init.constant_(self.scale_head[-1].bias, -1.0)     # b starts at softplus(-1) + floor = 0.33 um

    def head_input(self, x):
        """What both heads read: the pooled features and the patch's structure contrast, [N, 193]."""
        return self._head_input_and_structure(x)[0]

    def _head_input_and_structure(self, x):
        pooled = torch.mean(self.features(self.stem(self.normalize(x))), dim=(2, 3))
        structure = self.structure(x)
        return torch.cat([pooled, structure], dim=1), structure

    def score(self, x):
        return F.softplus(self.head(self.head_input(x)))

    def distribution(self, x):
        """(|z| point estimate [N, 1], Laplace scale [N, 1]), both in um."""
        return self.distribution_and_structure(x)[:2]

    def distribution_and_structure(self, x):
        """distribution(x) and the patch's StructureContrast output (log scale) [N, 1]."""
        inputs, structure = self._head_input_and_structure(x)
        return F.softplus(self.head(inputs)), F.softplus(self.scale_head(inputs)) + self.SCALE_FLOOR_UM, structure


def load_point_weights(model, state):
    """Loads a checkpoint's weights into a FocusNetLaplace. A point-only focusnet's head, which reads the pooled
    features alone, gets a zero weight on the structure input (it then gives exactly its own estimate); the scale
    head stays at its initial values where the checkpoint has none or one of another shape. Returns the keys left
    at their initial values."""
    own = model.state_dict()
    state = dict(state)
    first = state.get("head.0.weight")
    if first is not None and first.shape[1] + 1 == own["head.0.weight"].shape[1]:
        state["head.0.weight"] = torch.cat([first, torch.zeros(first.shape[0], 1, dtype=first.dtype)], dim=1)
    usable = {k: v for k, v in state.items() if not (k.startswith("scale_head.") and (k not in own or own[k].shape != v.shape))}
    result = model.load_state_dict(usable, strict=False)
    if result.unexpected_keys or any(not k.startswith("scale_head.") for k in result.missing_keys):
        raise RuntimeError(f"checkpoint does not fit {type(model).__name__}: {result}")
    return result.missing_keys


class TwoOutputs(nn.Module):
    """Export wrapper: both outputs of a FocusNetLaplace, the scale multiplied by the calibration factor of the band
    its point estimate falls in (bands start at `edges`, the last one open), the factors that make its nominal
    intervals cover what they claim on held-out sources (training/uncertainty.py). One factor: one band.

    With `structure_poor` = (defocus, scale) in um, a patch whose StructureContrast is below POOR_BELOW gets that
    distribution instead: the distribution of the labels of held-out patches with no focus information (their drawn
    z), i.e. the prior. Why: such a patch holds no evidence of its defocus, and the heads' answer for it is noise around
    the prior (measured on a variant without this rule: point estimates of flat stain colours from 3.3 to 7.8 um with
    scales of ~2.7 um), so a symmetric interval around it still ended above 2 um for up to 43 of 144 flat tiles:
    OutOfFocus with nothing seen."""

    def __init__(self, model, scale_factors, edges=(0.0,), structure_poor=None):
        super().__init__()
        factors = [float(f) for f in (scale_factors if isinstance(scale_factors, (list, tuple)) else [scale_factors])]
        assert len(factors) == len(edges)
        self.model = model
        self.register_buffer("base_factor", torch.tensor(factors[0]))
        self.register_buffer("steps", torch.tensor([b - a for a, b in zip(factors, factors[1:])]).view(1, -1))
        self.register_buffer("edges", torch.tensor([float(e) for e in edges[1:]]).view(1, -1))
        self.structure_poor = None if structure_poor is None else tuple(float(v) for v in structure_poor)
        self.poor_below = math.log(StructureContrast.POOR_BELOW + StructureContrast.FLOOR)

    def forward(self, x):
        mu, b, structure = self.model.distribution_and_structure(x)
        if self.edges.numel() == 0:
            scale = b * self.base_factor
        else:
            scale = b * (self.base_factor + ((mu >= self.edges).to(mu.dtype) * self.steps).sum(dim=1, keepdim=True))
        if self.structure_poor is not None:
            poor = (structure < self.poor_below).to(mu.dtype)
            mu = mu + poor * (self.structure_poor[0] - mu)
            scale = scale + poor * (self.structure_poor[1] - scale)
        return mu, scale


ARCHS = {"focusnet": FocusNet, "focusnet_laplace": FocusNetLaplace, "focusnet_v2": FocusNetV2, "focusnet_v2_whole": FocusNetV2Whole,
         "inception_v3": InceptionFocus}


def get_model(arch):
    if arch not in ARCHS:
        raise ValueError(f"unknown --arch {arch!r}; choose from {sorted(ARCHS)}")
    return ARCHS[arch]()
