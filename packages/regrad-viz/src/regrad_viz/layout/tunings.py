"""Every number the layout was tuned with, in one place.

Lengths are in pixels. Sizes of graphs count *vertices*: nodes plus the
dummies of long edges. Work is bounded by counts of steps, never by the
clock, so the same graph always gets the same layout; every budget grows
with the graph, so big graphs still draw in seconds.
"""

from __future__ import annotations

# ----------------------------------------------------------------- spacing
NODE_GAP = 20.0  # space between two boxes in a layer: wider reads easier, narrower fits more on screen
DUMMY_GAP = 14.0  # space next to a long edge passing through a layer: long edges stay apart from boxes
MIN_LAYER_GAP = 36.0  # space between two layers whose edges go straight down
MAX_LAYER_GAP = 100.0  # ... and at most this much, however far its edges go sideways
LAYER_GAP_PER_SIDEWAYS = 0.15  # the gap grows by this much per pixel its edges go sideways: steep, not flat
MARGIN = 16.0  # around the whole drawing
ARROW = 8.0  # arrowhead length
PORT_SPACING = 14.0  # edges leaving (or entering) one box this far apart, to tell them apart ...
MAX_PORT_SPREAD = 0.6  # ... but spread over at most this share of the box's width

# ----------------------------------------------------------------- graph sizes (vertices)
SMALL_GRAPH = 600  # up to here, crossing reduction gets many rounds
MULTI_START_GRAPH = 1500  # up to here, it tries four starts and compares near-ties as straight lines ...
MULTI_START_WORK = 600_000  # ... unless one start's sifting would price more pairs than this (wide layers)
LARGE_GRAPH = 3000  # beyond here, transposition and coordinate placement do their fewest passes

# ----------------------------------------------------------------- phase 1: layers
LIFT_ROUNDS = 8  # passes of subgraph lifting: a lift can make room for another, each pass walks the graph again
LIFT_VISITS_PER_NODE = 50  # node visits per node for those walks: bounds long chains of nested subgraphs

# ----------------------------------------------------------------- phase 2: dummies
DUMMY_BUDGET_PER_NODE = 4  # dummies per node in all: routed long edges, or speed (edges past it are drawn direct)
DUMMY_BUDGET_BASE = 2000  # ... plus this many in any graph, so that small graphs route every edge
MAX_DUMMIES_PER_LAYER = 128  # long edges through one layer, or as many as the widest layer has nodes if more:
# more bands of long edges side by side make the drawing wider and crossing reduction slower

# ----------------------------------------------------------------- phase 3: crossing reduction
SWEEP_ROUNDS_SMALL = 32  # barycenter rounds per start, up to SMALL_GRAPH: more rounds, fewer crossings, more time
SWEEP_ROUNDS = 4  # ... beyond: every bigger graph we measured had its best order within the first three rounds
STALE_ROUNDS = 6  # rounds without fewer crossings before going back to the best order so far
TRANSPOSITION_PASSES = 8  # passes of neighbour swaps after each round, up to LARGE_GRAPH ...
TRANSPOSITION_PASSES_LARGE = 4  # ... and beyond
SIFT_REACH = 64  # places a vertex may slide when sifted: a layer of L vertices costs L * 2 * SIFT_REACH prices
FEW_ENDS = 8  # two vertices with more edges than this on one side are priced by sorting, not pair by pair
NEAR_TIE_CROSSINGS = 3  # orders this close to the fewest crossings are compared as straight lines ...
STRAIGHT_TIEBREAK_EDGES = 1000  # ... in graphs of up to this many edges (that count takes edges^2 steps)

# ----------------------------------------------------------------- phase 4: coordinates
COORDINATE_SWEEPS_SMALL = 20  # down-and-up sweeps placing the layers, up to MULTI_START_GRAPH: straighter edges
COORDINATE_SWEEPS = 10  # ... up to LARGE_GRAPH
COORDINATE_SWEEPS_LARGE = 5  # ... beyond
WEIGHT_DUMMY_DUMMY = 16.0  # pull of a piece of a long edge between two dummies: long edges come out straight ...
WEIGHT_DUMMY_NODE = 4.0  # ... between a dummy and a node ...
WEIGHT_NODE_NODE = 1.0  # ... and of an edge between two nodes, which may bend
WEIGHT_ALONE = 0.5  # a vertex without neighbours keeps its place, held this strongly
