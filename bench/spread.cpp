#include "bench/results.h"

#include <algorithm>

namespace probectl::bench {

Spread spread_of(std::vector<double> values)
{
    if (values.empty())
        return {};
    std::ranges::sort(values);
    const size_t n = values.size();
    const double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    return {values.front(), median, values.back()};
}

}  // namespace probectl::bench
