// probectl --help at 80 columns: CLI11 writes each option's description on one line, however long;
// this formatter folds descriptions (and the footer's long lines) under their column.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace probectl {

class HelpFormatter : public CLI::Formatter {
public:
    static constexpr std::size_t kWidth = 80;
    static constexpr std::size_t kNameColumn = 30;  // where descriptions start

    HelpFormatter() { column_width(kNameColumn); }
    std::string make_option(const CLI::Option *option, bool is_positional) const override;
    std::string make_subcommand(const CLI::App *command) const override;
    std::string make_footer(const CLI::App *app) const override;
    std::string make_description(const CLI::App *app) const override;
};

}  // namespace probectl
