"""The Convolution lab's guided path: kernels, output sizes, pooling, one output pixel."""

from ui.guide import PathStep

GEOMETRY = "Stride, padding, dilation"

PATH = (
    PathStep(
        "Kernels",
        {"kernel": "Box blur", "size": 5},
        "A 5x5 box blur: every output pixel is the mean of its neighbourhood, so detail fades.",
    ),
    PathStep(
        "Kernels",
        {"kernel": "Sobel x"},
        "Sobel x: the weights add up to 0, so flat areas go dark and vertical edges light up.",
    ),
    PathStep(
        GEOMETRY,
        {"kernel": "Sobel x", "stride": 2, "pad_mode": "number", "pad": 1, "dilation": 1},
        "Stride 2: the kernel jumps two pixels at a time and the map shrinks by half. Check the "
        "output-size formula with the numbers filled in.",
    ),
    PathStep(
        GEOMETRY,
        {"stride": 1, "pad_mode": "valid", "dilation": 3},
        "Dilation 3 without padding: the same 9 weights cover a 7x7 area, and the map loses 6 "
        "pixels a side.",
    ),
    PathStep(
        "Pooling",
        {"pool_size": 2, "pool_stride": 2, "stride": 1, "pad_mode": "same", "dilation": 1},
        "2x2 max pooling keeps the strongest response in each window: a quarter of the pixels, "
        "the edges still there.",
    ),
)
