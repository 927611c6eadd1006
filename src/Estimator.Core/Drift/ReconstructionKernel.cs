using System.Numerics.Tensors;

namespace Estimator.Drift;

/// <summary>
/// Each row's distance from its reconstruction: the row standardised and centred, projected onto the principal
/// components and back, and the Euclidean norm of what the projection leaves over. Rows come column-major (column
/// <c>j</c>'s values at <c>[j·n, (j+1)·n)</c>), as the encoder writes them.
/// </summary>
/// <remarks>
/// <see cref="Plain"/> is the row-by-row loop; <see cref="Vector"/> does the same operations column by column over
/// all rows at once (vector passes, no fused multiply-add), so every row's number is the same bit for bit.
/// </remarks>
internal static class ReconstructionKernel
{
    /// <summary>Row-by-row reconstruction errors into <paramref name="errors"/> (one per row).</summary>
    public static void Plain(ReadOnlySpan<double> x, int n, ReconstructionModel model, Span<double> errors)
    {
        var d = model.Columns.Length;
        var centered = new double[d];
        var residual = new double[d];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                centered[j] = ((x[(j * n) + i] - model.ScalerMean[j]) / model.ScalerScale[j]) - model.PcaMean[j];
            }

            centered.CopyTo(residual, 0);
            foreach (var component in model.Components)
            {
                var projection = 0.0;
                for (var j = 0; j < d; j++)
                {
                    projection += centered[j] * component[j];
                }

                for (var j = 0; j < d; j++)
                {
                    residual[j] -= projection * component[j];
                }
            }

            var squares = 0.0;
            for (var j = 0; j < d; j++)
            {
                squares += residual[j] * residual[j];
            }

            errors[i] = Math.Sqrt(squares);
        }
    }

    /// <summary>
    /// <see cref="Plain"/> as vector passes over blocks of rows small enough to stay in the first-level cache.
    /// </summary>
    /// <param name="x">The rows, column-major; overwritten (each column is centred in place).</param>
    /// <param name="n">Rows.</param>
    /// <param name="model">The fitted scaler and components.</param>
    /// <param name="errors">One error per row.</param>
    public static void Vector(Span<double> x, int n, ReconstructionModel model, Span<double> errors)
    {
        const int Block = 256;
        var d = model.Columns.Length;
        Span<double> projection = stackalloc double[Block];
        Span<double> product = stackalloc double[Block];
        Span<double> squares = stackalloc double[Block];
        var residual = new double[d * Block];
        for (var start = 0; start < n; start += Block)
        {
            var b = Math.Min(Block, n - start);
            for (var j = 0; j < d; j++)
            {
                var column = x.Slice((j * n) + start, b);
                TensorPrimitives.Subtract(column, model.ScalerMean[j], column);
                TensorPrimitives.Divide(column, model.ScalerScale[j], column);
                TensorPrimitives.Subtract(column, model.PcaMean[j], column);
                column.CopyTo(residual.AsSpan(j * Block, b));
            }

            foreach (var component in model.Components)
            {
                // projection = Σ_j centred_j · c_j, summed in column order as the row loop sums it.
                var p = projection[..b];
                p.Clear();
                for (var j = 0; j < d; j++)
                {
                    TensorPrimitives.Multiply(x.Slice((j * n) + start, b), component[j], product[..b]);
                    TensorPrimitives.Add(p, product[..b], p);
                }

                for (var j = 0; j < d; j++)
                {
                    var r = residual.AsSpan(j * Block, b);
                    TensorPrimitives.Multiply(p, component[j], product[..b]);
                    TensorPrimitives.Subtract(r, product[..b], r);
                }
            }

            var s = squares[..b];
            s.Clear();
            for (var j = 0; j < d; j++)
            {
                var r = residual.AsSpan(j * Block, b);
                TensorPrimitives.Multiply(r, r, product[..b]);
                TensorPrimitives.Add(s, product[..b], s);
            }

            TensorPrimitives.Sqrt(s, errors.Slice(start, b));
        }
    }
}
