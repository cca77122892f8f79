#include "cli/help_formatter.h"

#include <sstream>

#include "loader/text.h"

namespace probectl {
namespace {

// "  name" and its description folded from kNameColumn; a name too wide for its column has a line
// of its own.
std::string two_columns(const std::string &name, const std::string &description)
{
    const std::string indent(HelpFormatter::kNameColumn, ' ');
    std::string left = "  " + name;
    if (description.empty())
        return left + "\n";
    if (left.size() + 1 > HelpFormatter::kNameColumn)
        return left + "\n" + wrap(description, HelpFormatter::kWidth, indent, indent);
    left.resize(HelpFormatter::kNameColumn, ' ');
    return wrap(description, HelpFormatter::kWidth, left, indent);
}

}  // namespace

std::string HelpFormatter::make_option(const CLI::Option *option, bool is_positional) const
{
    return two_columns(make_option_name(option, is_positional) + make_option_opts(option),
                       make_option_desc(option));
}

std::string HelpFormatter::make_subcommand(const CLI::App *command) const
{
    return two_columns(command->get_display_name(true), command->get_description());
}

// Each line of the footer as written, a longer one folded with the indent it began with.
std::string HelpFormatter::make_footer(const CLI::App *app) const
{
    std::istringstream lines(app->get_footer());
    std::string out;
    for (std::string line; std::getline(lines, line);) {
        const std::string indent(
            line.find_first_not_of(' ') == std::string::npos ? 0 : line.find_first_not_of(' '), ' ');
        out +=
            line.size() <= kWidth ? line + "\n" : wrap(line.substr(indent.size()), kWidth, indent, indent + "  ");
    }
    return out;
}

std::string HelpFormatter::make_description(const CLI::App *app) const
{
    return app->get_description().empty() ? "" : wrap(app->get_description(), kWidth, "", "");
}

}  // namespace probectl
