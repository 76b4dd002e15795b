// A CSV cell's number straight from its bytes, without making a string of every cell: the value of
// `Number(cell)` for the cells /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/ accepts, NaN for any other.
//
// Exactness: a cell of at most 15 significant digits whose decimal exponent is within ±22 is
// M · 10^e with M and 10^|e| both exact doubles, so one multiplication or division rounds it
// correctly (Clinger's fast path, as JavaScript engines do it). Any other cell goes through `Number`.

const [PLUS, MINUS, DOT, ZERO, NINE, E_LOWER, E_UPPER] = [0x2b, 0x2d, 0x2e, 0x30, 0x39, 0x65, 0x45];
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** Exponents are capped here: beyond it every value is 0 or Infinity anyway. */
const EXP_CAP = 100_000;

const isDigit = (b: number) => b >= ZERO && b <= NINE;

/** The slow path: the cell as an ASCII string (only called once the shape is known to be a number). */
function viaString(b: Uint8Array, len: number): number {
  let s = "";
  for (let i = 0; i < len; i++) s += String.fromCharCode(b[i]!);
  return Number(s);
}

export function parseNumber(b: Uint8Array, len = b.length): number {
  let i = 0;
  let negative = false;
  if (len > 0 && (b[0] === PLUS || b[0] === MINUS)) {
    negative = b[0] === MINUS;
    i = 1;
  }
  let mantissa = 0;
  let significant = 0;
  let exp = 0;
  let digits = 0;
  let exact = true;
  // Leading zeros are not significant; past 15 significant digits the slow path takes over.
  for (let fraction = false; i < len; i++) {
    const c = b[i]!;
    if (c === DOT && !fraction) {
      fraction = true;
      continue;
    }
    if (!isDigit(c)) break;
    digits++;
    if (fraction) exp--;
    if (mantissa === 0 && c === ZERO) continue;
    if (significant === 15) exact = false;
    else {
      mantissa = mantissa * 10 + (c - ZERO);
      significant++;
    }
  }
  if (digits === 0) return NaN;
  if (i < len && (b[i] === E_LOWER || b[i] === E_UPPER)) {
    i++;
    const sign = i < len && (b[i] === PLUS || b[i] === MINUS) ? (b[i++] === MINUS ? -1 : 1) : 1;
    if (i === len) return NaN;
    let e = 0;
    for (; i < len && isDigit(b[i]!); i++) e = Math.min(EXP_CAP, e * 10 + (b[i]! - ZERO));
    exp += sign * e;
  }
  if (i !== len) return NaN;
  if (!exact || exp > 22 || exp < -22) return viaString(b, len);
  const v = mantissa === 0 ? 0 : exp >= 0 ? mantissa * POW10[exp]! : mantissa / POW10[-exp]!;
  return negative ? -v : v;
}
