print("accord-bench: not built yet")
