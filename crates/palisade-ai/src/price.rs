//! What a call costs, in millionths of a US dollar ("micros"). Prices are quoted per million tokens,
//! so a token costs exactly the quoted number of micros.
use crate::client::{Prompt, Usage};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Price {
    /// US dollars per million prompt tokens.
    pub input_per_million: f64,
    /// US dollars per million completion tokens.
    pub output_per_million: f64,
}

impl Price {
    pub fn cost_micros(&self, usage: Usage) -> i64 {
        let cost = f64::from(usage.prompt_tokens) * self.input_per_million
            + f64::from(usage.completion_tokens) * self.output_per_million;
        // Rounded up: a budget is never overspent by rounding.
        cost.ceil().clamp(0.0, 1e15) as i64
    }

    /// The most a prompt can cost before it is sent: a token per three characters (tokenizers
    /// average about four for English; fewer for other scripts) and every completion token allowed.
    pub fn ceiling_micros(&self, prompt: &Prompt) -> i64 {
        let prompt_tokens = u32::try_from(prompt.chars().div_ceil(3)).unwrap_or(u32::MAX);
        self.cost_micros(Usage {
            prompt_tokens,
            completion_tokens: prompt.max_tokens,
        })
    }

    /// Tokens a provider did not report, estimated from characters (four to a token).
    pub fn estimate_usage(prompt: &Prompt, answer_chars: usize) -> Usage {
        let tokens = |chars: usize| u32::try_from(chars.div_ceil(4)).unwrap_or(u32::MAX);
        Usage {
            prompt_tokens: tokens(prompt.chars()),
            completion_tokens: tokens(answer_chars),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_costs_its_quoted_micros_rounded_up() {
        let price = Price {
            input_per_million: 0.15,
            output_per_million: 0.6,
        };
        let usage = Usage {
            prompt_tokens: 1000,
            completion_tokens: 100,
        };
        assert_eq!(price.cost_micros(usage), 210);
        let one = Usage {
            prompt_tokens: 1,
            completion_tokens: 0,
        };
        assert_eq!(price.cost_micros(one), 1);
    }
}
