// probectl lab: teaching exercises that check themselves. Each lab performs an experiment with
// probectl's own machinery; `run` shows the learner what to look at, `check` asserts what must be
// observed on this kernel, each observation held, failed, or not checkable here (with the reason).
#pragma once

#include "loader/error.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace probectl::lab {

// skipped: not tried, because a step before it failed (that step is the one to fix).
enum class Outcome { held, failed, cannot_check, skipped };

struct Observation {
    std::string what;  // the claim, in the lab text's words
    Outcome outcome = Outcome::failed;
    std::string detail;  // what was seen; for cannot_check, why it cannot be checked here
};

struct Lab {
    int number = 0;
    std::string_view slug;  // docs/labs/NN-slug.md
    std::string_view title;
    // Performs the experiment and returns what to show (several lines).
    std::function<Expected<std::string>()> run;
    // Performs the experiment and judges it.
    std::function<Expected<std::vector<Observation>>()> check;
    // The hook types its experiment uses: where one does not work, it checks only what it can.
    std::vector<std::string_view> hooks;
};

// In lab order.
const std::vector<Lab> &all_labs();
const Lab *find_lab(int number);

// The lab's text (docs/labs/NN-slug.md), embedded in the binary at build time; empty if none.
std::string_view lab_text(int number);

std::string_view outcome_name(Outcome outcome);

// Observation helpers: a claim that held when `ok`, with the evidence either way.
Observation observe(std::string what, bool ok, std::string detail);
Observation cannot_check(std::string what, std::string why);
Observation skipped(std::string what, std::string why);
// Every claim, not checkable here for the same reason.
std::vector<Observation> none_checkable(const std::vector<std::string> &claims, const std::string &why);

}  // namespace probectl::lab
