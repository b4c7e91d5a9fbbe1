//! The BERT encoder's forward pass (Devlin et al. 2019), as Hugging Face's `BertModel` computes it
//! in inference, on candle. candle-transformers has one; this one differs only in cost: the
//! query, key and value products run as one matrix product (the scores' scaling folded into the
//! query's weights); padding is masked only in batches that have some; the exact GELU and the
//! attention's softmax are computed with approximations of `erf` and `exp` that the compiler
//! vectorises (candle calls a scalar `erf` and `exp` per element: 13% and 7% of embedding CPU
//! time); the dense layers' weights are stored transposed, their products computed by gemm
//! onto the bias and the residual (`Dense`); and attention is computed by gemm on views of the
//! query, key and value projections, without copying them into per-head tensors (`attention`).

use candle_core::{CpuStorage, CustomOp1, DType, Layout, Module, Result, Shape, Tensor};
use candle_nn::{embedding, layer_norm, linear, Embedding, LayerNorm, VarBuilder};
use rayon::prelude::*;
use serde::Deserialize;

/// The fields of a BERT `config.json` that the forward pass needs.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// Word pieces in the vocabulary.
    pub vocab_size: usize,
    /// Width of the token vectors.
    pub hidden_size: usize,
    /// Transformer layers.
    pub num_hidden_layers: usize,
    /// Attention heads per layer.
    pub num_attention_heads: usize,
    /// Width of the feed-forward part.
    pub intermediate_size: usize,
    /// Longest input, in word pieces.
    pub max_position_embeddings: usize,
    /// Token types (segments).
    #[serde(default = "two")]
    pub type_vocab_size: usize,
    /// Added to the variance in layer normalisation.
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f64,
    /// The feed-forward activation. [`Bert`] computes `gelu` (exact, with `erf`) whatever it
    /// says: check it before loading.
    #[serde(default = "gelu")]
    pub hidden_act: String,
}

fn two() -> usize {
    2
}

fn default_eps() -> f64 {
    1e-12
}

fn gelu() -> String {
    "gelu".into()
}

/// A BERT encoder with its weights.
pub struct Bert {
    words: Embedding,
    positions: Embedding,
    token_types: Embedding,
    embedding_norm: LayerNorm,
    layers: Vec<Layer>,
    heads: usize,
}

struct Layer {
    query_key_value: Dense,
    attention_output: Dense,
    attention_norm: LayerNorm,
    intermediate: Dense,
    output: Dense,
    output_norm: LayerNorm,
}

impl Bert {
    /// Load the weights, named as Hugging Face's `BertModel` names them (with or without a
    /// `bert.` prefix).
    pub fn load(vb: VarBuilder, config: &Config) -> Result<Bert> {
        let vb = if vb.contains_tensor("bert.embeddings.word_embeddings.weight") {
            vb.pp("bert")
        } else {
            vb
        };
        let (hidden, eps) = (config.hidden_size, config.layer_norm_eps);
        let e = vb.pp("embeddings");
        // Layers in parallel: copying the dense layers' weights into their transposed layout
        // ([`Dense`]) is about a third of the model's loading time.
        let layers = (0..config.num_hidden_layers)
            .into_par_iter()
            .map(|i| {
                let l = vb.pp(format!("encoder.layer.{i}"));
                let a = l.pp("attention");
                let parts = ["query", "key", "value"]
                    .map(|name| linear(hidden, hidden, a.pp("self").pp(name)));
                let [q, k, v] = parts;
                let (q, k, v) = (q?, k?, v?);
                // Attention scores are divided by √(head size): done once here, on the query's
                // weights and bias, rather than on every score.
                let scale = 1.0 / ((hidden / config.num_attention_heads) as f64).sqrt();
                let weight = Tensor::cat(&[&(q.weight() * scale)?, k.weight(), v.weight()], 0)?;
                let bias = match (q.bias(), k.bias(), v.bias()) {
                    (Some(q), Some(k), Some(v)) => Some(Tensor::cat(&[&(q * scale)?, k, v], 0)?),
                    _ => None,
                };
                let dense = |inputs, outputs, vb| {
                    let linear = linear(inputs, outputs, vb)?;
                    Dense::new(linear.weight(), linear.bias())
                };
                Ok(Layer {
                    query_key_value: Dense::new(&weight, bias.as_ref())?,
                    attention_output: dense(hidden, hidden, a.pp("output.dense"))?,
                    attention_norm: layer_norm(hidden, eps, a.pp("output.LayerNorm"))?,
                    intermediate: dense(
                        hidden,
                        config.intermediate_size,
                        l.pp("intermediate.dense"),
                    )?,
                    output: dense(config.intermediate_size, hidden, l.pp("output.dense"))?,
                    output_norm: layer_norm(hidden, eps, l.pp("output.LayerNorm"))?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Bert {
            words: embedding(config.vocab_size, hidden, e.pp("word_embeddings"))?,
            positions: embedding(
                config.max_position_embeddings,
                hidden,
                e.pp("position_embeddings"),
            )?,
            token_types: embedding(
                config.type_vocab_size,
                hidden,
                e.pp("token_type_embeddings"),
            )?,
            embedding_norm: layer_norm(hidden, eps, e.pp("LayerNorm"))?,
            layers,
            heads: config.num_attention_heads,
        })
    }

    /// The last layer's token vectors, `(texts, length, hidden)`, for word-piece ids `(texts,
    /// length)` and an attention mask of the same shape (1 for a word piece, 0 for padding); all
    /// tokens are of type 0.
    pub fn forward(&self, ids: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let length = ids.dim(1)?;
        let positions = Tensor::arange(0u32, length as u32, ids.device())?;
        let types = Tensor::zeros(1, DType::U32, ids.device())?;
        let x = self
            .words
            .forward(ids)?
            .broadcast_add(&self.positions.forward(&positions)?)?
            .broadcast_add(&self.token_types.forward(&types)?)?;
        let mut x = self.embedding_norm.forward(&x)?;
        // Padding gets the lowest score before the softmax, as in Hugging Face's BERT; a batch
        // without padding needs no mask.
        let mask = mask.to_dtype(DType::F32)?.flatten_all()?.to_vec1::<f32>()?;
        let padding = mask.iter().any(|&m| m < 1.0).then(|| {
            mask.iter()
                .map(|&m| (1.0 - m) * f32::MIN)
                .collect::<Vec<_>>()
        });
        for layer in &self.layers {
            x = layer.forward(&x, padding.as_deref(), self.heads)?;
        }
        Ok(x)
    }
}

impl Layer {
    fn forward(&self, x: &Tensor, padding: Option<&[f32]>, heads: usize) -> Result<Tensor> {
        let qkv = self.query_key_value.forward(x, None)?;
        let context = attention(&qkv, padding, heads)?;
        let attended = self
            .attention_norm
            .forward(&self.attention_output.forward(&context, Some(x))?)?;
        let inner = self
            .intermediate
            .forward(&attended, None)?
            .apply_op1_no_bwd(&Gelu)?;
        self.output_norm
            .forward(&self.output.forward(&inner, Some(&attended))?)
    }
}

/// Multi-head self-attention over the query, key and value projections side by side in `qkv`,
/// `(texts, length, 3 × hidden)`: for each text and head, softmax(q·kᵀ + padding)·v, where
/// `padding` (`texts × length`, when some text has padding) is added to each row of scores. The
/// scores' scaling is in the query's weights.
///
/// gemm reads q, k and v in place, as strided views of `qkv`, and writes each head's result
/// into its columns of the output, one text per task; one buffer of scores serves every head.
/// Through candle, q, k and v were each copied into a `(texts, heads, length, head size)`
/// layout, the scores written into a zeroed buffer, then copied again by the padding's addition
/// and the softmax, and the result transposed back by another copy.
fn attention(qkv: &Tensor, padding: Option<&[f32]>, heads: usize) -> Result<Tensor> {
    let (n, length, width) = qkv.dims3()?;
    let (hidden, size) = (width / 3, width / 3 / heads);
    let qkv = qkv.contiguous()?;
    let (storage, layout) = qkv.storage_and_layout();
    let data = cpu_f32(&storage, layout, "attention")?;
    if data.len() != n * length * width
        || size * heads * 3 != width
        || padding.is_some_and(|p| p.len() != n * length)
    {
        candle_core::bail!("attention: {n} × {length} × {width} values do not fit {heads} heads");
    }
    let mut out = vec![0f32; n * length * hidden];
    if length == 0 {
        return Tensor::from_vec(out, (n, length, hidden), qkv.device());
    }
    out.par_chunks_mut(length * hidden)
        .zip(data.par_chunks(length * width))
        .enumerate()
        .for_each(|(i, (out, qkv))| {
            let padding = padding.map(|p| &p[i * length..(i + 1) * length]);
            let mut scores = vec![0f32; length * length];
            for head in 0..heads {
                let (q, k, v) = (head * size, hidden + head * size, 2 * hidden + head * size);
                // scores = q · kᵀ: kᵀ's element (c, j) is k's (j, c).
                // SAFETY: q, k and v are each `length` rows `width` apart of `size` values from
                // an offset below `width - size + 1` (checked above), within `qkv`'s
                // `length × width` values; `scores` holds `length × length` values and `out`
                // `length` rows `hidden` apart, `size` values from `head × size`.
                unsafe {
                    product(
                        (length, length, size),
                        (scores.as_mut_ptr(), length),
                        Strided::new(&qkv[q..], width, 1),
                        Strided::new(&qkv[k..], 1, width),
                        false,
                        gemm::Parallelism::None,
                    )
                };
                for row in scores.chunks_exact_mut(length) {
                    if let Some(padding) = padding {
                        row.iter_mut().zip(padding).for_each(|(s, p)| *s += p);
                    }
                    softmax(row);
                }
                // SAFETY: as above.
                unsafe {
                    product(
                        (length, size, length),
                        (out[head * size..].as_mut_ptr(), hidden),
                        Strided::new(&scores, length, 1),
                        Strided::new(&qkv[v..], width, 1),
                        false,
                        gemm::Parallelism::None,
                    )
                };
            }
        });
    Tensor::from_vec(out, (n, length, hidden), qkv.device())
}

/// A dense layer, x·Wᵀ + b, with W stored transposed: `(inputs, outputs)`, contiguous.
///
/// candle's `Linear` keeps W as `(outputs, inputs)` and multiplies by a transposed view of it.
/// gemm, which computes a row-major product as its transpose, then reads W with a stride in the
/// dimension it packs, and copies it one element at a time into its packed layout on every call:
/// for a query of a few word pieces that copy cost more CPU time than the products themselves
/// (`perf`: 39% of samples against 31%). Stored transposed, W is read in place when few rows
/// multiply it, and packed with vector loads when many do.
///
/// The product is computed by gemm directly, added to a result that starts as the bias (plus
/// the residual, where one follows): candle's product would fill a zeroed buffer, and the bias
/// and the residual would each take another pass and another buffer.
struct Dense {
    weight: Tensor,
    bias: Option<Vec<f32>>,
}

impl Dense {
    /// The layer of weights `weight`, `(outputs, inputs)` as the file has them, and `bias`.
    fn new(weight: &Tensor, bias: Option<&Tensor>) -> Result<Dense> {
        Ok(Dense {
            weight: weight.t()?.contiguous()?,
            bias: bias.map(|b| b.to_vec1::<f32>()).transpose()?,
        })
    }

    /// `x`: `(texts, length, inputs)`; the result: `(texts, length, outputs)`, plus `residual`
    /// (of the result's shape) when there is one.
    fn forward(&self, x: &Tensor, residual: Option<&Tensor>) -> Result<Tensor> {
        let (n, length, inputs) = x.dims3()?;
        let (rows, outputs) = (n * length, self.weight.dim(1)?);
        let residual = residual.map(Tensor::contiguous).transpose()?;
        let residual = residual.as_ref().map(|r| r.storage_and_layout());
        let mut out = match &residual {
            Some((storage, layout)) => cpu_f32(storage, layout, "dense")?.to_vec(),
            None => vec![0.0; rows * outputs],
        };
        if let Some(bias) = &self.bias {
            for row in out.chunks_exact_mut(outputs) {
                row.iter_mut().zip(bias).for_each(|(o, b)| *o += b);
            }
        }
        let x = x.contiguous()?;
        let (xs, x_layout) = x.storage_and_layout();
        let (ws, w_layout) = self.weight.storage_and_layout();
        let (xs, ws) = (
            cpu_f32(&xs, x_layout, "dense")?,
            cpu_f32(&ws, w_layout, "dense")?,
        );
        if (out.len(), xs.len(), ws.len()) != (rows * outputs, rows * inputs, inputs * outputs) {
            candle_core::bail!(
                "dense: {rows} × {inputs} inputs do not fit {inputs} × {outputs} weights"
            );
        }
        let threads = rayon::current_num_threads();
        let parallelism = match threads {
            1 => gemm::Parallelism::None,
            _ => gemm::Parallelism::Rayon(threads),
        };
        // SAFETY: `out` holds rows × outputs values, `xs` rows × inputs and `ws` inputs ×
        // outputs (checked above), each row-major and contiguous as the strides given say.
        unsafe {
            product(
                (rows, outputs, inputs),
                (out.as_mut_ptr(), outputs),
                Strided::new(xs, inputs, 1),
                Strided::new(ws, outputs, 1),
                true,
                parallelism,
            )
        };
        Tensor::from_vec(out, (n, length, outputs), x.device())
    }
}

/// An operand of [`product`]: its first element and the distances between its rows and between
/// its columns, in elements.
#[derive(Clone, Copy)]
struct Strided {
    first: *const f32,
    row: usize,
    column: usize,
}

impl Strided {
    fn new(data: &[f32], row: usize, column: usize) -> Strided {
        Strided {
            first: data.as_ptr(),
            row,
            column,
        }
    }
}

/// `dst = lhs · rhs` by gemm, for an `m × k` lhs and a `k × n` rhs, `dst` given by its first
/// element and the distance between its rows (its columns adjacent); with `accumulate`, the
/// product is added to `dst`'s values.
///
/// # Safety
/// Every element of the three matrices, at their strides, lies within its buffer, and `dst`
/// overlaps neither operand.
unsafe fn product(
    (m, n, k): (usize, usize, usize),
    (dst, dst_row): (*mut f32, usize),
    lhs: Strided,
    rhs: Strided,
    accumulate: bool,
    parallelism: gemm::Parallelism,
) {
    // SAFETY: the caller's, for the same shapes and strides.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst,
            1,
            dst_row as isize,
            accumulate,
            lhs.first,
            lhs.column as isize,
            lhs.row as isize,
            rhs.first,
            rhs.column as isize,
            rhs.row as isize,
            1.0,
            1.0,
            false,
            false,
            false,
            parallelism,
        )
    }
}

/// The elements of a contiguous float32 tensor on the CPU.
fn cpu_f32<'a>(storage: &'a candle_core::Storage, layout: &Layout, op: &str) -> Result<&'a [f32]> {
    let candle_core::Storage::Cpu(storage) = storage else {
        candle_core::bail!("{op}: on the CPU only");
    };
    contiguous_f32(storage, layout, op)
}

/// The elements of a contiguous float32 tensor, for the custom operation `op`.
fn contiguous_f32<'a>(storage: &'a CpuStorage, layout: &Layout, op: &str) -> Result<&'a [f32]> {
    let CpuStorage::F32(data) = storage else {
        candle_core::bail!("{op}: float32 only");
    };
    let Some((start, end)) = layout.contiguous_offsets() else {
        candle_core::bail!("{op}: a contiguous tensor only");
    };
    Ok(&data[start..end])
}

/// The exact GELU, x · Φ(x) = x/2 · (1 + erf(x/√2)), on float32 tensors.
struct Gelu;

impl CustomOp1 for Gelu {
    fn name(&self) -> &'static str {
        "gelu-erf-rational"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        let data = contiguous_f32(storage, layout, "GELU")?;
        let out: Vec<f32> = data.iter().map(|&x| gelu_erf(x)).collect();
        Ok((CpuStorage::F32(out), layout.shape().clone()))
    }
}

/// exp(x − max) / Σ exp(x − max) for each x of `row`, in place, with [`exp`].
fn softmax(row: &mut [f32]) {
    let max = fold8(row, f32::NEG_INFINITY, |m, x| if x > m { x } else { m });
    row.iter_mut().for_each(|x| *x = exp(*x - max));
    let sum = fold8(row, 0.0, |a, x| a + x);
    for x in row.iter_mut() {
        *x /= sum;
    }
}

/// `f` folded over `xs` in 8 interleaved lanes, which the compiler vectorises (a float fold in
/// order is not, as its rounding depends on the order), then over the lanes.
#[inline]
fn fold8(xs: &[f32], init: f32, f: impl Fn(f32, f32) -> f32) -> f32 {
    let mut lanes = [init; 8];
    let chunks = xs.chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (lane, &x) in lanes.iter_mut().zip(chunk) {
            *lane = f(*lane, x);
        }
    }
    rest.iter()
        .fold(lanes.into_iter().fold(init, &f), |a, &x| f(a, x))
}

/// e^x as Cephes' `expf` computes it: x = n ln 2 + r with |r| ≤ ln 2 / 2, e^r by a polynomial
/// of degree 7, 2^n written into the exponent bits. Branch-free (x clamped to [−87, 88], where
/// e^x is a normal float32; the rounding to n by adding 1.5 × 2^23), so that a loop over a slice
/// is vectorised. Within 2e-7 of the exact value, relatively (unit test).
#[inline]
fn exp(x: f32) -> f32 {
    const ROUND: f32 = 12_582_912.0;
    let x = x.clamp(-87.0, 88.0);
    let t = x * std::f32::consts::LOG2_E + ROUND;
    let n = t - ROUND;
    let r = x - n * 0.693_359_4 - n * -2.121_944_4e-4;
    let mut p = 1.987_569_1e-4 * r + 1.398_199_9e-3;
    p = p * r + 8.333_452e-3;
    p = p * r + 4.166_579_6e-2;
    p = p * r + 1.666_666_5e-1;
    p = p * r + 0.5;
    let e = p * r * r + r + 1.0;
    // t's low bits hold n: 2^n has exponent bits n + 127.
    let n = t.to_bits() as i32 - ROUND.to_bits() as i32;
    e * f32::from_bits(((n + 127) << 23) as u32)
}

/// x · Φ(x) with [`erf`].
#[inline]
fn gelu_erf(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// erf(x) as Eigen computes it for float (`generic_fast_erf_float`): a rational function of
/// degrees 13 and 8 on x clamped to [−4, 4] (erf(4) is 1 in float32), branch-free, so that a
/// loop over a slice is vectorised. Within 4e-7 of the exact value (a few units in the last place;
/// unit test).
#[inline]
fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = x2 * -2.726_142_3e-10 + 2.770_681_4e-8;
    p = x2 * p + -2.101_024e-6;
    p = x2 * p + -5.692_506_4e-5;
    p = x2 * p + -7.349_906_3e-4;
    p = x2 * p + -2.954_6e-3;
    p = x2 * p + -1.609_603_3e-2;
    let mut q = x2 * -1.456_607_18e-5 + -2.133_740_5e-4;
    q = x2 * q + -1.682_827e-3;
    q = x2 * q + -7.373_329_2e-3;
    q = x2 * q + -1.426_473_9e-2;
    x * p / q
}

#[cfg(test)]
mod tests {
    use super::*;

    /// erf in float64: its Taylor series up to 3 (exact to 1e-13 there), and beyond, 1 less the
    /// asymptotic series of erfc (its first four terms, within 2e-8).
    fn erf_f64(x: f64) -> f64 {
        let a = x.abs();
        if a > 3.0 {
            let (t, sum) = (1.0 / (2.0 * a * a), 1.0);
            let sum = sum - t + 3.0 * t * t - 15.0 * t * t * t;
            let erfc = (-a * a).exp() / (a * std::f64::consts::PI.sqrt()) * sum;
            return x.signum() * (1.0 - erfc);
        }
        let (mut term, mut sum, mut n) = (x, x, 0.0);
        while term.abs() > 1e-17 {
            n += 1.0;
            term *= -x * x / n;
            sum += term / (2.0 * n + 1.0);
        }
        sum * 2.0 / std::f64::consts::PI.sqrt()
    }

    #[test]
    fn erf_is_within_float_precision() {
        let mut worst: f64 = 0.0;
        for i in -60_000..=60_000 {
            let x = i as f32 * 1e-4;
            worst = worst.max((f64::from(erf(x)) - erf_f64(f64::from(x))).abs());
        }
        assert!(worst < 4e-7, "{worst}");
        assert_eq!(erf(-10.0), -1.0);
        assert_eq!(erf(0.0), 0.0);
    }

    #[test]
    fn exp_is_within_float_precision() {
        let mut worst: f64 = 0.0;
        for i in -870_000..=200_000 {
            let x = i as f32 * 1e-4;
            let exact = f64::from(x).exp();
            worst = worst.max((f64::from(exp(x)) - exact).abs() / exact);
        }
        assert!(worst < 2e-7, "{worst}");
        assert_eq!(exp(0.0), 1.0);
        // Padding's scores (float32's lowest added) weigh next to nothing.
        assert!(exp(f32::MIN) < 1e-37);
    }

    #[test]
    fn softmax_matches_its_definition() {
        // Rows shorter and longer than the folds' 8 lanes, with padding's lowest score.
        let long: Vec<f32> = (0..37).map(|i| (i * 7 % 11) as f32 * 0.9 - 4.0).collect();
        for scores in [vec![2.0f32, -1.0, 0.5, 3.0, f32::MIN], long] {
            let mut row = scores.clone();
            softmax(&mut row);
            let max = scores.iter().fold(f32::MIN, |m, &x| m.max(x));
            let exp = |x: f32| f64::from(x - max).exp();
            let sum: f64 = scores.iter().map(|&x| exp(x)).sum();
            for (y, &x) in row.iter().zip(&scores) {
                assert!((f64::from(*y) - exp(x) / sum).abs() < 1e-7, "{y} {x}");
            }
        }
    }

    #[test]
    fn attention_matches_candles_per_head_products() {
        let (n, length, heads, size) = (2, 5, 2, 3);
        let hidden = heads * size;
        let values: Vec<f32> = (0..n * length * 3 * hidden)
            .map(|i| ((i * 37 % 23) as f32 - 11.0) / 7.0)
            .collect();
        let device = candle_core::Device::Cpu;
        let qkv = Tensor::from_vec(values, (n, length, 3 * hidden), &device).unwrap();
        // The second text's last two word pieces are padding.
        let mut padding = vec![0f32; n * length];
        padding[2 * length - 2..].fill(f32::MIN);
        let got = attention(&qkv, Some(&padding), heads).unwrap();

        let split = |i: usize| {
            qkv.narrow(2, i * hidden, hidden)
                .unwrap()
                .reshape((n, length, heads, size))
                .unwrap()
                .transpose(1, 2)
                .unwrap()
                .contiguous()
                .unwrap()
        };
        let (q, k, v) = (split(0), split(1), split(2));
        let padding = Tensor::from_vec(padding, (n, 1, 1, length), &device).unwrap();
        let scores = q.matmul(&k.t().unwrap()).unwrap();
        let scores = scores.broadcast_add(&padding).unwrap();
        let expected = candle_nn::ops::softmax_last_dim(&scores)
            .unwrap()
            .matmul(&v)
            .unwrap()
            .transpose(1, 2)
            .unwrap()
            .reshape((n, length, hidden))
            .unwrap();
        let (got, expected) = (
            got.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
            expected.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
        );
        assert_eq!(got.len(), expected.len());
        for (a, b) in got.iter().zip(&expected) {
            assert!((a - b).abs() < 1e-5, "{a} against {b}");
        }
        // Without padding, every score counts.
        let plain = attention(&qkv, None, heads).unwrap();
        let plain = plain.flatten_all().unwrap().to_vec1::<f32>().unwrap();
        assert_eq!(plain[..length * hidden], got[..length * hidden]);
        assert_ne!(plain[length * hidden..], got[length * hidden..]);
    }

    #[test]
    fn gelu_matches_its_definition() {
        for x in [-5.0f32, -1.0, -0.3, 0.0, 0.5, 1.0, 2.5, 8.0] {
            let exact = 0.5 * f64::from(x) * (1.0 + erf_f64(f64::from(x) / 2f64.sqrt()));
            assert!((f64::from(gelu_erf(x)) - exact).abs() < 1e-6, "{x}");
        }
        let t = Tensor::new(&[[-1.0f32, 0.0], [1.0, 2.0]], &candle_core::Device::Cpu).unwrap();
        let y = t.apply_op1_no_bwd(&Gelu).unwrap().to_vec2::<f32>().unwrap();
        assert!((y[1][0] - 0.841_344_7).abs() < 1e-6, "{y:?}");
    }
}
