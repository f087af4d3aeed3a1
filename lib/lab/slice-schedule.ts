// The order in which `npm run bench` sends its kinds of request (scripts/bench.ts). Every second
// holds one slice of each kind. In a fixed order each kind would always follow the same one, and
// always fall on the same moment of every second (where the load generator's once-a-second work
// lands), so a cost of its place could pass for a cost of its own.

/**
 * Which kind each slice of a run of `seconds` sends, numbering slices from the start. Within each
 * block of `kinds` seconds a shuffled order is rotated by one place a second, so each kind takes
 * every place once per block (a Latin square), and the kind it follows changes from block to block.
 */
export function sliceSchedule(kinds: number, seconds: number, random: () => number = Math.random) {
  const orders: number[][] = [];
  let base: number[] = [];
  for (let second = 0; second < seconds; second++) {
    if (second % kinds === 0) base = shuffled(kinds, random);
    orders.push(base.map((_, place) => base[(place + second) % kinds]));
  }
  // Requests sent after the last second (autocannon stops a little late) keep its order.
  return (slice: number) => orders[Math.min(Math.floor(slice / kinds), orders.length - 1)][slice % kinds];
}

/** 0 … count − 1 in random order (Fisher–Yates). */
function shuffled(count: number, random: () => number) {
  const order = Array.from({ length: count }, (_, index) => index);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
