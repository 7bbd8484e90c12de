"""How much room text takes in Excel's default font, so that columns fit and rows are as tall
as their wrapped text.

Excel writes in Calibri 11; LibreOffice draws Calibri with Carlito, whose widths are the same.
The advance widths below are Carlito's (Regular and Bold, in 1/2048 of the font size) for
Latin, Greek, Cyrillic and general punctuation; any other character is taken as a full em if
it is an East Asian wide one, none if it is a combining mark, and a little more than an average
letter otherwise. A cell wraps at spaces, and inside a word only when the word is longer than a
line. Estimates err on the wide side: a row may get a spare line, text never overprints.

The tables were read from the font files with fontTools:
``{cp: font["hmtx"].metrics[glyph][0] for cp, glyph in font.getBestCmap().items()}``.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import unicodedata

import numpy as np

_UNITS_PER_EM = 2048
_FONT_PX = 11 * 96 / 72  # Calibri 11 at 96 dots per inch
_SAFETY = 1.03  # hinting and rendering differ a little between programs: round up, not down
DIGIT_PX = 7  # Calibri 11's digit width, which is Excel's unit of column width
_COLUMN_PADDING_PX = 5  # what Excel adds to width × digit width
_CELL_MARGIN_PX = 5  # the room a cell leaves around its text, both sides together
LINE_POINTS = 15  # the height of one line of Calibri 11
_WIDE = 2048
_OTHER = 1150

_REGULAR = {
    0x0020: (
        "1cf29b3353fc40e5b85751c426d26d3fc3fc1ff27320531740e40e40e40e40e40e40e40e40e40e2242243fc"
        "3fc3fc3b57274a145a4444ec3e83ad50c4fc20428d42835d6d752a54c4225624583ad3e652248a71e4273e6"
        "3bf2743172743fc3fc2543d54343624343fb2713c44341d61ea3a31d66644344384344342ca3212ae43439d"
        "5b837739f3292843af2843fc000000000000000000000000000000000000000000000000000000000000000"
        "00000000000000000000000000000000000000029b3fc40e3fc40e3fc3fc3246ad3384193fc00040e3272b6"
        "3fc2b02ad2564664b02052751f836141951755f5673b54a14a14a14a14a14a161b4443e83e83e83e8204204"
        "2042044ff52a54c54c54c54c54c3fc54f5225225225223e64224383d53d53d53d53d53d562f3623fb3fb3fb"
        "3fb1d61d61d61d64344344384384384384383fc43c43443443443439f43439f4a13d54a13d54a13d5444362"
        "4443624443624443624ec48c4ff46a3e83fb3e83fb3e83fb3e83fb3e83fb50c3c450c3c450c3c450c3c44fc"
        "4345404432041d62041d62041d62041d62041d64923c028d1ea4283a33a335d1d635d1d636221c45e2fd370"
        "1fb52a43452a43452a4344a250743454c43854c43854c4386ef6cc4582ca4582ca4582ca3ad3213ad3213ad"
        "3213ad3213e62ae3e62c43e62bc52243452243452243452243452243452243471e5b83e639f3e63bf3293bf"
        "3293bf3291f146a4ec44d43444043446249d3b34ff57e44d4344303e85253ca3ad3fc50e48a643250226428"
        "3a32413b470952a44c54c5944a062f53e4e44344583ad3213ab3722e043f2ae3e65c64d25505224423fc3bf"
        "3293ca3ca3ca36640e40e3683214341f332949729b8ab81575d6035473c07b771461e4a13d52041d654c438"
        "5224345224345224345224345224343fb4a13d54a13d561b62f50c44c50c3c44283a354c43854c4383ca3ca"
        "1ea89581575d50c3c47284d452a4344a13d561b62f54f43c4a13d54a13d53e83fb3e83fb2041d62041d654c"
        "43854c4384582ca4582ca5224345224343ad3213e62ae3ca3ca4fc4345244cd40e40e3ef34c4a13d53e83fb"
        "54c43854c43854c43854c4383e639f2894eb2ae1ea6936924a144436235d3e632132939439446b5454953e8"
        "3fb2a124050a4344692ff4a03e23d543443443436239b4344343fb3fb51b36236243543b24143443445139d"
        "3d04334344342412321d62e72f91d64866636636644344344534385b35925362ca2ca2ca2ca2ca28e28e398"
        "3983211ea2421ea28a2ae2ae4a447645539d5b839f3513293d33bc3bb3943943943625073d543b46b44728a"
        "3a331943439439466f6d47194f33c457a60c4ae4693ef3ef43444d2e92e916d1f61f620328b3ef2861c4000"
        "1ff1ff1ff1ce1ce2992993fc3fc44b44b3293292510000002542513272542562392391ce1ce2aa2aa2aa2aa"
        "30c1ce29127f39a3c12aa2aa26115e23027e2993103103103103102aa2aa32949a3592aa2aa2aa2aa291000"
        "3c100039a2242aa2aa2aa2aa440440302000000000000000000000000000000000000000000000000000000"
        "0000000001ff0000000000000002aa000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000001ff1ff0000000000002323623623622240000000000000002893f4"
        "4a12053e84fc20400054c0003e65502324a145a3534843e83bf4fc54c2044284956d752a3ef54c4fc422000"
        "3ab3e63e66134276005502043e648a3a544c23245548a4403924303a52c844c4412323a33b4466397302438"
        "46c4123494413194555363695a95922324554384555920004324783e64563e653b6844d754c4384443493ad"
        "37845d3994a24a270966445c42f47241844435a4d040b5624413c93264d74123621ea54c375375422476444"
        "5974c54124444444443e83e84ff3704613ad20420428d6fa7034f24585224384f54a144d45a3705273e8668"
        "3ca5225224584e36d74fc54c4f94224443e643859442751c4726f271e4eb6184404627084713d54433d52c4"
        "4773fb5833624534533b641556944743842a43436231939f4fe3774553c05d45fe44a5543c238b5c63cb3fb"
        "3fb4532c438d3211d61d61ea6026284433b645339f43376c56a50442764153450b4336a75af5c848073f60b"
        "3ca34e6005a954c4314b83d20003d285c74554c49c76c64276c56a4443624e00000000000000007e279854e"
        "45f4403df4224343762d53662f944139f6b25c03ca3624a53f44583b646a3eb50c4475244715b14d87385f1"
        "52b46f4443623e63193e639d3e639d4763b25d24c549a3ea4723c04723c05f64c85f64c820466858345f3cf"
        "50e4214fc4474fc4544723c07075b62044a13d54a13d561b62f3e83fb5253fb5253fb6685833ca3623ca3bc"
        "52245352245354c43854c43154c43146238b43839f43839f43839f4723c03532c46185543662f94853b1427"
        "37744043465d65561d59b41a3ba70f61f7286505154455214813ca36250942b000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000"
    ),
    0x2000: (
        "4008004008002af2001554501bc19910000000000000000000000040e3fc73e73e3293fc1ff1ff1ff1ff359"
        "3593593583fc3fc3fc0000000005860000000000000000000000001cf84e0000003344a40000000000002b6"
        "2b60004763de3fc0000000000000002b1000000000000000000000000000000000000000000000000000000"
        "0000000000000000000002241c7000000000000000000000000000000000000000000000000"
    ),
}
_BOLD = {
    0x0020: (
        "1cf29b3823fc40e5d55a31de27e27e3fc3fc21027322337040e40e40e40e40e40e40e40e40e40e2352353fc"
        "3fc3fc3b57304d947c43c50b3e73ac51950c2222a64603626fe54556944257d4813c83f65394bb740468428"
        "3d32993702993fc3fc2673f344b35944b4072883cb44b1f720b3d71f768244b44d44b44b2d83312c644b3c9"
        "5f63ad3ca32e2c03cd2c03fc000000000000000000000000000000000000000000000000000000000000000"
        "00000000000000000000000000000000000000029b3fc40e3fc40e3fc3fc3516ad35444f3fc00040e31f2bd"
        "3fc2b42b02684824c822426d20537b44f54358759d3b54d94d94d94d94d94d963443c3e73e73e73e7222222"
        "22222251d5455695695695695693fc5725395395395394284424703f33f33f33f33f33f3633359407407407"
        "4071f71f71f71f744b44b44d44d44d44d44d3fc45a44b44b44b44b3ca44b3ca4d93f34d93f34d93f343c359"
        "43c35943c35943c35950b4c651d48d3e74073e74073e74073e74073e74075193cb5193cb5193cb5193cb50c"
        "44b5434612221f72221f72221f72221f72221f74c94032a620b4603d73d73621f73621f737127347e361376"
        "21c54544b54544b54544b4fa52144b56944d56944d56944d6fe6be4812d84812d84812d83c83313c83313c8"
        "3313c83313f62c63f62e83f62d653944b53944b53944b53944b53944b53944b7405f64283ca4283d332e3d3"
        "32e3d332e21149255847244b49345f4334db3b651d5e747244b4433e75433f13ac3fc5734ba66e266268464"
        "3d72813e471c54544b56961e51066a58751e44b4813cf33a3c23912ed45c2c63f661752e57253946541c3d3"
        "32e3eb3f13d537440e40e36232544b21d3d94b329b8de83977962956d4027eb7506564d93f32221f756944d"
        "53944b53944b53944b53944b53944b4074d93f34d93f36346335294745193cb4603d756944d56944d3eb3a9"
        "20b8c58397795193cb7144e654544b4d93f363463357245a4d93f34d93f33e74073e74072221f72221f7569"
        "44d56944d4812d84812d853944b53944b3c83313f62c63eb3a950c44b5234db43941f3ec33a4d93f33e7407"
        "56944d56944d56944d56944d4283ca2a44fc2cf20b69d69f4d944636238540a33132e38237a49655e4c03e8"
        "3fb2c326050f44b49d3084b43f23f344b44c44b36338844b46140740752436a36a44f43725545e44a44a3d4"
        "3e044b44b44b26b24a1f73273382044ab68268268244b44b4684495c15a75982d82d82d92d82d82a02a03ea"
        "3ea3311ee2461ee29f2c62c64b14ad4413c95f63ca3b43383d53a93ae38238238235952d3f543745445d2a4"
        "3d733c4603823826b46fd75b52240659f6624f44be4333ef45d45e2fb2fb1842001f620c2b441b2a61b7000"
        "2102102101ce1ce2992993fc3fc44b44b3363362510000002672513272672682392391ce1ce2aa2aa2aa2aa"
        "3141e229f28638e3e32aa2aa2aa17623a2a92993103103103103102aa2aa33649a37b2aa2aa2aa2aa29f000"
        "3c100038e2352aa2aa2aa2aa440440302000000000000000000000000000000000000000000000000000000"
        "0000000001fc0000000000000002aa000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000002102100000000000002323633593632350000000000000002893f4"
        "4d92243e750c22200056900042857224a4d947c34749f3e73d350c5692224604c06fe5453f056950c442000"
        "3c23f64286694686765722224284ba3a945a24a4634ba45d3bd4433a92ea45a45c24a3d73e44823c531544d"
        "4a243e34145b32446359839b5e75be24a46344d4635be00044a4b842f42f42f5a16c54e456944d4333473ac"
        "39246b3c74cc4d071168245d43947c42b40e35c4a63ce55845140733a4d743a35920b56939439444245f43c"
        "5be4ee43e45643c4563e73e751637544f3c82222222a672a72c50f4815374615074d947247c3755623e76a9"
        "3db5375374815086fe50c56950a44243c3f64615ca46854348e72d76a51d66346d44f74f4983f34423f52d6"
        "4a84075e536a4744743f54355b545d44d44644b35931e3ca5673ad47f3e861b6504775b23f537f6063fc407"
        "40746d2d63803311f71f720b63665a4613f54743ca44c7925c151a44163f53953549572864f5d25027a86ba"
        "3f23666765e75694494e53f90003f98ca7a85b94b079265c7925c14243424e00000000000000007e2798588"
        "4b648b40744244b3792f038730646f3a771a63e3db36a4f444b4b343b49c41752b48d5624945d24f57585f4"
        "54748343c3593f631d4283cf4283cf4d74026054e64cb43e48e40648e40663d50563d5052226a95e54ac410"
        "55847750c45c55d49e48e40674f5e12224d93f34d93f36346333e74075434075434076a95e53db36a3eb3a9"
        "53747453747456944d56944d56944d44f37f4613ca4613ca4613ca48e3e836a2d66635b23873064c73fe468"
        "3ad46d44b68963b6005734363ca71063071465752645d5134853f136a54446e000000000000000000000000"
        "000000000000000000000000000000000000000000000000000000000000"
    ),
    0x2000: (
        "4008004008002af20015540e1bc19910000000000000000000000040e3fc73e73e3d93fe21021021021037b"
        "37b37b37b3fc3fc3fc0000000005b10000000000000000000000001cf87e0000003434c50000000000002c1"
        "2c10004b240a3fc0000000000000002d8000000000000000000000000000000000000000000000000000000"
        "0000000000000000000002591c7000000000000000000000000000000000000000000000000"
    ),
}


def _decode(blocks: dict[int, tuple[str, ...]]) -> dict[str, int]:
    table = {}
    for first, parts in blocks.items():
        digits = "".join(parts)
        for i in range(0, len(digits), 3):
            width = int(digits[i : i + 3], 16)
            if width:
                table[chr(first + i // 3)] = width
    return table


_TABLES = {False: _decode(_REGULAR), True: _decode(_BOLD)}
_TABLES[False]["\u00a0"] = _TABLES[False][" "]  # a no-break space is as wide as a space
_TABLES[True]["\u00a0"] = _TABLES[True][" "]
_WIDEST = max(max(t.values()) for t in _TABLES.values())
_WIDEST_PX = _WIDEST * _FONT_PX * _SAFETY / _UNITS_PER_EM


def _units(char: str, bold: bool) -> int:
    known = _TABLES[bold].get(char)
    if known is not None:
        return known
    if unicodedata.combining(char) or unicodedata.category(char) in ("Cf", "Mn", "Me"):
        return 0
    return _WIDE if unicodedata.east_asian_width(char) in ("W", "F") else _OTHER


@functools.lru_cache(maxsize=1 << 16)
def _word_units(word: str, bold: bool) -> int:
    table = _TABLES[bold]
    try:
        return sum(table[c] for c in word)
    except KeyError:
        return sum(_units(c, bold) for c in word)


class _Widths(dict):
    """Word -> width in font units, measured the first time a word is asked for."""

    def __init__(self, bold: bool):
        super().__init__()
        self.bold = bold

    def __missing__(self, word: str) -> int:
        if len(self) > 200_000:  # random text (a fuzzer's) must not grow it without end
            self.clear()
        width = self[word] = _word_units(word, self.bold)
        return width


_WORD_WIDTHS = {False: _Widths(False), True: _Widths(True)}


def _px(units: float) -> float:
    return units * _FONT_PX * _SAFETY / _UNITS_PER_EM


def text_px(text: str, bold: bool = False) -> float:
    """The width of one line of text, in pixels at 100 % zoom."""
    return _px(sum(_word_units(w, bold) for w in text.split(" ")) + _space(bold) * text.count(" "))


def _space(bold: bool) -> int:
    return _TABLES[bold][" "]


def column_px(width: float) -> int:
    """The pixel width of a column set to `width` (Excel's unit: digits of the default font)."""
    return int(width * DIGIT_PX + _COLUMN_PADDING_PX)


# The filter dropdown Excel draws at the right of a header cell, with a little room.
FILTER_BUTTON_PX = 18


def width_for(texts, bold: bool = False, least: float = 0, button: bool = False) -> float:
    """The column width that shows the longest of `texts` on one line (beside a header's filter
    button, with `button`)."""
    widest = max((text_px(t, bold) for t in texts if t), default=0)
    widest += FILTER_BUTTON_PX if button else 0
    needed = (widest + _CELL_MARGIN_PX - _COLUMN_PADDING_PX) / DIGIT_PX
    return max(least, math.ceil(needed * 2) / 2)  # to the half unit above


def room_px(width: float) -> int:
    """The pixels a line of text has in a column of this width."""
    return column_px(width) - _CELL_MARGIN_PX


def wrapped_lines(text: str, width: float, bold: bool = False, most: int = 1000) -> int:
    """The lines a cell of column width `width` shows `text` in, wrapped (at least 1).

    Each paragraph wraps greedily: a line takes as many words as fit. A word longer than a
    line takes lines of its own (as many as its width needs, and one more, erring wide), and
    the next word starts a new line. Counting stops past `most` lines: a row is never taller
    than Excel allows anyway. `many_wrapped_lines` counts the same for a whole column."""
    if not text:
        return 1
    room = room_px(width)
    sure = int(room / _WIDEST_PX)  # a line this long fits even in the widest letters
    if len(text) <= sure:
        return text.count("\n") + 1
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1 if len(paragraph) <= sure else _paragraph_lines(paragraph, room, bold)
        if lines > most:
            break
    return lines


def _room_units(room: float) -> float:
    return room * _UNITS_PER_EM / (_FONT_PX * _SAFETY)


def _paragraph_lines(paragraph: str, room: float, bold: bool) -> int:
    space, room_units = _space(bold), _room_units(room)
    words = [_word_units(w, bold) for w in paragraph.split(" ")]
    # ends[k]: the width of the first k words, each with the space after it.
    ends = list(itertools.accumulate((w + space for w in words), initial=0))
    lines, start = 0, 0
    while start < len(words):
        stop = min(bisect.bisect_right(ends, ends[start] + room_units + space) - 1, len(words))
        if stop == start:  # one word wider than a line
            lines += int(words[start] // room_units) + 1
            stop += 1
        else:
            lines += 1
        start = stop
    return lines


def many_wrapped_lines(texts: list[str], width: float, bold: bool = False, most: int = 1000):
    """`wrapped_lines` of every text, counted for all of them at once: the greedy wrap runs
    one line at a time over every paragraph together (a binary search in the widths of all
    their words), so a hundred thousand summaries cost a few passes, not a loop per word."""
    result = np.array([t.count("\n") + 1 for t in texts], dtype=np.int64)
    sure = int(room_px(width) / _WIDEST_PX)  # a line this long fits even in the widest letters
    wrapping = [i for i, t in enumerate(texts) if len(t) > sure]
    if not wrapping:
        return np.minimum(result, most + 1)
    paragraphs, owners = [], []
    for index in wrapping:
        parts = texts[index].split("\n")
        paragraphs += parts
        owners += [index] * len(parts)
    space, room_units = _space(bold), _room_units(room_px(width))
    # Every word of every paragraph, in order (joined by spaces, a paragraph's words follow
    # the previous paragraph's), measured once per distinct word.
    everything = " ".join(paragraphs).split(" ")
    measure = _WORD_WIDTHS[bold].__getitem__
    words = np.fromiter(map(measure, everything), dtype=np.int64, count=len(everything))
    counts = np.array([p.count(" ") + 1 for p in paragraphs], dtype=np.int64)
    ends = np.concatenate(([0.0], np.cumsum(words + space)))
    last = np.cumsum(counts)
    start = last - counts
    lines = np.zeros(len(paragraphs), dtype=np.int64)
    active = np.arange(len(paragraphs))
    while active.size:
        first, end = start[active], last[active]
        stop = np.minimum(np.searchsorted(ends, ends[first] + room_units + space, "right") - 1, end)
        alone = stop == first
        lines[active] += np.where(alone, (words[first] // room_units).astype(np.int64) + 1, 1)
        stop = np.where(alone, first + 1, stop)
        start[active] = stop
        active = active[(stop < end) & (lines[active] <= most)]
    result[wrapping] = 0
    np.add.at(result, np.array(owners), lines)
    return np.minimum(result, most + 1)


def row_points(lines: int) -> float:
    """The height of a row that shows `lines` lines of text."""
    return LINE_POINTS * max(1, lines) + 2
