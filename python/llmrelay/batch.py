"""LiteLLM's batch calls: many conversations on one model
(``batch_completion``), one conversation on many models
(``batch_completion_models``: the first answer;
``batch_completion_models_all_responses``: every answer). Each runs the
calls on a thread pool; a native call releases the GIL while it waits, so
the calls overlap."""

import llmrelay

__all__ = ["batch_completion", "batch_completion_models", "batch_completion_models_all_responses"]


def batch_completion(model, messages=(), max_workers=100, **kwargs):
    """One ``completion`` per conversation in ``messages`` (a list of
    message lists), in order. A call that fails gives its exception in its
    place in the list, as in LiteLLM, so one failure does not lose the
    other answers."""
    from concurrent.futures import ThreadPoolExecutor

    kwargs.pop("deployment_id", None)
    with ThreadPoolExecutor(max_workers=max_workers or 1) as pool:
        futures = [pool.submit(llmrelay.completion, model=model, messages=m, **kwargs) for m in messages]
    results = []
    for future in futures:
        error = future.exception()
        results.append(error if error is not None else future.result())
    return results


def batch_completion_models(*args, models=None, **kwargs):
    """The first successful answer among ``models`` (each asked once, in
    parallel); the last error when none answers."""
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    kwargs.pop("model", None)
    if not models:
        raise ValueError("batch_completion_models needs models=[...]")
    pool = ThreadPoolExecutor(max_workers=len(models))
    try:
        pending = {pool.submit(llmrelay.completion, *args, model=m, **kwargs) for m in models}
        error = None
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                if future.exception() is None:
                    return future.result()
                error = future.exception()
        raise error
    finally:
        # The slower calls finish in the background; their answers are dropped.
        pool.shutdown(wait=False)


def batch_completion_models_all_responses(*args, models=None, **kwargs):
    """Every model's answer, in the order of ``models``; a model that fails
    is left out (LiteLLM's behaviour)."""
    from concurrent.futures import ThreadPoolExecutor

    kwargs.pop("model", None)
    if not models:
        raise ValueError("batch_completion_models_all_responses needs models=[...]")
    with ThreadPoolExecutor(max_workers=len(models)) as pool:
        futures = [pool.submit(llmrelay.completion, *args, model=m, **kwargs) for m in models]
    return [f.result() for f in futures if f.exception() is None]
