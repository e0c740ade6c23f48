# Shared by the gateway benchmarks (sourced): the config they all serve and
# the request bodies they send.

# The LiteLLM-format config: one model group on the fake upstream at port $1,
# behind the master key the load generators send.
write_config() { # upstream_port file
  cat > "$2" <<YAML
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_base: http://127.0.0.1:$1/v1
      api_key: sk-bench-upstream
general_settings:
  master_key: sk-bench-master
YAML
}

plain='{"model":"gpt-4o","messages":[{"role":"user","content":"Say hi"}]}'
streamed='{"model":"gpt-4o","messages":[{"role":"user","content":"Say hi"}],"stream":true}'
