"""The Convolution lab's URL prefix, and the names of the controls its panels share.

Every control's key is ``cv_<name>``. The image, the kernel and the stride /
padding / dilation feed several panels; they are the same widgets (same
keys) on each panel that uses them, so values, uploads and links carry over.
"""

PREFIX = "cv"
IMAGE_KEYS = ("img_src", "gray")
KERNEL_KEYS = ("kernel", "size", "sigma", "normalise", "custom")
GEOMETRY_KEYS = ("stride", "pad_mode", "pad", "dilation")
