print("accord: not built yet")
