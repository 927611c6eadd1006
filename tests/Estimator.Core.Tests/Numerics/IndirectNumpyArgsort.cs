using System.Numerics;

namespace Estimator.Tests.Numerics;

/// <summary>numpy 1.24 aquicksort transcribed with numpy's indirect key reads: the oracle for the key-carrying engine version.</summary>
internal static class IndirectNumpyArgsort
{
    private const int SmallQuicksort = 15;
    private const int StackSize = 128;

    /// <summary>The permutation that sorts <paramref name="values"/> ascending, in numpy's tie order (NaN last).</summary>
    public static int[] ArgSort(ReadOnlySpan<double> values)
    {
        var order = new int[values.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Sort(values, order);
        return order;
    }

    /// <summary>Sorts the indices in <paramref name="order"/> by <paramref name="v"/>[index], as numpy's <c>aquicksort</c>.</summary>
    public static void Sort(ReadOnlySpan<double> v, Span<int> order)
    {
        var num = order.Length;
        if (num < 2)
        {
            return;
        }

        Span<int> stack = stackalloc int[StackSize];
        Span<int> depth = stackalloc int[StackSize];
        var sptr = 0;
        var psdepth = 0;
        var pl = 0;
        var pr = num - 1;
        var cdepth = (BitOperations.Log2((uint)num) * 2);

        while (true)
        {
            if (cdepth < 0)
            {
                HeapSort(v, order.Slice(pl, pr - pl + 1));
                goto StackPop;
            }

            while (pr - pl > SmallQuicksort)
            {
                var pm = pl + ((pr - pl) >> 1);
                if (Less(v[order[pm]], v[order[pl]]))
                {
                    Swap(order, pm, pl);
                }

                if (Less(v[order[pr]], v[order[pm]]))
                {
                    Swap(order, pr, pm);
                }

                if (Less(v[order[pm]], v[order[pl]]))
                {
                    Swap(order, pm, pl);
                }

                var vp = v[order[pm]];
                var pi = pl;
                var pj = pr - 1;
                Swap(order, pm, pj);
                while (true)
                {
                    do
                    {
                        ++pi;
                    }
                    while (Less(v[order[pi]], vp));

                    do
                    {
                        --pj;
                    }
                    while (Less(vp, v[order[pj]]));

                    if (pi >= pj)
                    {
                        break;
                    }

                    Swap(order, pi, pj);
                }

                Swap(order, pi, pr - 1);

                // Push the larger partition, continue with the smaller.
                if (pi - pl < pr - pi)
                {
                    stack[sptr++] = pi + 1;
                    stack[sptr++] = pr;
                    pr = pi - 1;
                }
                else
                {
                    stack[sptr++] = pl;
                    stack[sptr++] = pi - 1;
                    pl = pi + 1;
                }

                depth[psdepth++] = --cdepth;
            }

            for (var pi = pl + 1; pi <= pr; ++pi)
            {
                var vi = order[pi];
                var vpi = v[vi];
                var pj = pi;
                var pk = pi - 1;
                while (pj > pl && Less(vpi, v[order[pk]]))
                {
                    order[pj--] = order[pk--];
                }

                order[pj] = vi;
            }

        StackPop:
            if (sptr == 0)
            {
                break;
            }

            pr = stack[--sptr];
            pl = stack[--sptr];
            cdepth = depth[--psdepth];
        }
    }

    internal static void HeapSort(ReadOnlySpan<double> v, Span<int> tosort)
    {
        // 1-based heap indexing as in numpy: a[k] is tosort[k - 1].
        var n = tosort.Length;
        int i, j, tmp;
        for (var l = n >> 1; l > 0; --l)
        {
            tmp = tosort[l - 1];
            for (i = l, j = l << 1; j <= n;)
            {
                if (j < n && Less(v[tosort[j - 1]], v[tosort[j]]))
                {
                    j += 1;
                }

                if (Less(v[tmp], v[tosort[j - 1]]))
                {
                    tosort[i - 1] = tosort[j - 1];
                    i = j;
                    j += j;
                }
                else
                {
                    break;
                }
            }

            tosort[i - 1] = tmp;
        }

        for (; n > 1;)
        {
            tmp = tosort[n - 1];
            tosort[n - 1] = tosort[0];
            n -= 1;
            for (i = 1, j = 2; j <= n;)
            {
                if (j < n && Less(v[tosort[j - 1]], v[tosort[j]]))
                {
                    j++;
                }

                if (Less(v[tmp], v[tosort[j - 1]]))
                {
                    tosort[i - 1] = tosort[j - 1];
                    i = j;
                    j += j;
                }
                else
                {
                    break;
                }
            }

            tosort[i - 1] = tmp;
        }
    }

    // numpy's float ordering: NaN sorts after every number.
    private static bool Less(double a, double b) => a < b || (double.IsNaN(b) && !double.IsNaN(a));

    private static void Swap(Span<int> order, int a, int b) => (order[a], order[b]) = (order[b], order[a]);
}
