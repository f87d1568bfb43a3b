//! A counting semaphore for the threads that evaluate rules: no more rule
//! sandboxes at once than the engine has pooled slots for.

use std::sync::{Condvar, Mutex, PoisonError};

/// Free sandbox slots.
pub struct Slots {
    free: Mutex<u32>,
    freed: Condvar,
}

/// A held slot, given back on drop.
pub struct Slot<'a>(&'a Slots);

impl Slots {
    pub fn new(count: u32) -> Self {
        Self { free: Mutex::new(count.max(1)), freed: Condvar::new() }
    }

    /// Waits for a free slot.
    pub fn acquire(&self) -> Slot<'_> {
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(PoisonError::into_inner);
        }
        *free -= 1;
        Slot(self)
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[test]
    fn never_more_holders_than_slots() {
        let slots = Arc::new(Slots::new(2));
        let holding = Arc::new(AtomicU32::new(0));
        let most = Arc::new(AtomicU32::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (slots, holding, most) = (slots.clone(), holding.clone(), most.clone());
                std::thread::spawn(move || {
                    for _ in 0..50 {
                        let _slot = slots.acquire();
                        let now = holding.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::yield_now();
                        holding.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }
}
