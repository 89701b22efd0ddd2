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


class FocusNetLaplace(FocusNet):
    """focusnet with a second head: the scale b (um) of a Laplace distribution around its point estimate, from the
    same pooled features. The point head and the whole network are focusnet's (1.1.0's weights load as they are;
    strict=False leaves the new head at its initial values), and `forward` still returns the point estimate only, so
    every tool that reads one output keeps working; `distribution` returns both. The scale is large where the patch
    cannot reveal its defocus (flat, structure-poor, glass) and small where it can: it is trained by the Laplace
    negative log-likelihood of the label around the (detached) point estimate, so it cannot pull the point estimate
    towards easy targets."""

    SCALE_FLOOR_UM = 0.02

    def __init__(self, hidden=32):
        super().__init__()
        features = self.head[0].in_features
        self.scale_head = nn.Sequential(nn.Linear(features, hidden), nn.ReLU(inplace=True), nn.Linear(hidden, 1))
        nn.init.zeros_(self.scale_head[-1].weight)
        nn.init.constant_(self.scale_head[-1].bias, -1.0)     # b starts at softplus(-1) + floor = 0.33 um

    def pooled(self, x):
        return torch.mean(self.features(self.stem(self.normalize(x))), dim=(2, 3))

    def distribution(self, x):
        """(|z| point estimate [N, 1], Laplace scale [N, 1]), both in um."""
        pooled = self.pooled(x)
        return F.softplus(self.head(pooled)), F.softplus(self.scale_head(pooled)) + self.SCALE_FLOOR_UM


class TwoOutputs(nn.Module):
    """Export wrapper: both outputs of a FocusNetLaplace, the scale multiplied by the calibration factor of the band
    its point estimate falls in (bands start at `edges`, the last one open), the factors that make its nominal
    intervals cover what they claim on held-out sources (training/uncertainty.py). One factor: one band."""

    def __init__(self, model, scale_factors, edges=(0.0,)):
        super().__init__()
        factors = [float(f) for f in (scale_factors if isinstance(scale_factors, (list, tuple)) else [scale_factors])]
        assert len(factors) == len(edges)
        self.model = model
        self.register_buffer("base_factor", torch.tensor(factors[0]))
        self.register_buffer("steps", torch.tensor([b - a for a, b in zip(factors, factors[1:])]).view(1, -1))
        self.register_buffer("edges", torch.tensor([float(e) for e in edges[1:]]).view(1, -1))

    def forward(self, x):
        mu, b = self.model.distribution(x)
        if self.edges.numel() == 0:
            return mu, b * self.base_factor
        factor = self.base_factor + ((mu >= self.edges).to(mu.dtype) * self.steps).sum(dim=1, keepdim=True)
        return mu, b * factor


ARCHS = {"focusnet": FocusNet, "focusnet_laplace": FocusNetLaplace, "focusnet_v2": FocusNetV2, "focusnet_v2_whole": FocusNetV2Whole,
         "inception_v3": InceptionFocus}


def get_model(arch):
    if arch not in ARCHS:
        raise ValueError(f"unknown --arch {arch!r}; choose from {sorted(ARCHS)}")
    return ARCHS[arch]()
