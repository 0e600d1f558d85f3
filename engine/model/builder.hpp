#pragma once
// Models in code, for tests and generated benchmark networks: no files involved.
//   ModelBuilder b;
//   b.species("A", 100).parameter("k", 0.5);
//   b.mass_action("R1", {{"A", 2}}, {{"B", 1}}, "k");   // propensity k*A*(A-1)
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/model_description.hpp"

namespace nkappa {

class ModelBuilder {
 public:
  ModelBuilder();
  ModelBuilder& species(std::string id, double initial_amount, bool boundary = false);
  ModelBuilder& parameter(std::string id, double value);
  // Reaction with an explicit propensity.
  ModelBuilder& reaction(std::string id, std::vector<std::pair<std::string, double>> reactants,
                         std::vector<std::pair<std::string, double>> products, Expr propensity);
  // Reaction whose propensity is k times the falling factorial of each reactant count
  // (the stochastic mass-action law on molecule counts).
  ModelBuilder& mass_action(std::string id, std::vector<std::pair<std::string, double>> reactants,
                            std::vector<std::pair<std::string, double>> products,
                            const std::string& rate_parameter);
  const ModelDescription& model() const { return model_; }
  ModelDescription build() const { return model_; }

 private:
  ModelDescription model_;
};

// k * X * (X - 1) * ... for each reactant with its multiplicity.
Expr mass_action_law(const std::string& rate_parameter,
                     const std::vector<std::pair<std::string, double>>& reactants);

}  // namespace nkappa
